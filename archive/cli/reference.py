"""``nianbao settings`` and ``nianbao schema``: the reference tables, printed from their one source.

``docs/settings.md`` is ``nianbao settings --markdown`` (from ``crawler.settings``) and
``docs/schema.md`` is ``nianbao schema --markdown`` (from ``datasette-metadata.json``); a test
keeps both files equal to what these print.
"""

from __future__ import annotations

import click


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def settings_markdown() -> str:
    from crawler.settings import nianbao_settings

    lines = [
        "# Settings",
        "",
        "nianbao's own settings, declared once in `crawler/settings.py` (this page is `nianbao settings "
        "--markdown`). Set one like any Scrapy setting (`scrapy crawl reports -s NAME=VALUE`), or through the "
        "`nianbao crawl` option that sets it. Scrapy's own settings (politeness, retries, timeouts) are in the "
        "same module.",
        "",
        "| setting | default | environment | what it does |",
        "|---|---|---|---|",
    ]
    for s in nianbao_settings:
        default = "" if s.default is None else f"`{s.default!r}`"
        lines.append(f"| `{s.name}` | {default} | {f'`{s.env}`' if s.env else ''} | {_cell(s.help)} |")
    return "\n".join(lines) + "\n"


def schema_markdown() -> str:
    from archive.serve import DB_NAME, metadata

    database = metadata()["databases"][DB_NAME]
    lines = [
        "# Schema",
        "",
        "The tables, views and canned queries of the archive, as `datasette-metadata.json` describes them "
        "(this page is `nianbao schema --markdown`; Datasette shows the same text on every table page).",
        "",
        _cell(database.get("description", "")),
        "",
    ]
    for name, table in database["tables"].items():
        lines += [f"## `{name}`", "", _cell(table.get("description", "")), ""]
        columns = table.get("columns") or {}
        if columns:
            lines += ["| column | meaning |", "|---|---|"]
            lines += [f"| `{column}` | {_cell(text)} |" for column, text in columns.items()]
            lines.append("")
    queries = database.get("queries") or {}
    if queries:
        lines += ["## Canned queries", "", "| query | what it answers |", "|---|---|"]
        lines += [
            f"| `{name}` | {_cell(q.get('title') or q.get('description') or '')} |" for name, q in queries.items()
        ]
        lines.append("")
    return "\n".join(lines)


@click.command("settings")
@click.option("--markdown", is_flag=True, help="As the Markdown of docs/settings.md.")
def settings_command(markdown: bool) -> None:
    """Print nianbao's own settings: name, default, environment variable and what each does."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    from crawler.settings import nianbao_settings

    for s in nianbao_settings:
        env = f"  (env {s.env})" if s.env else ""
        click.echo(f"{s.name} = {s.default!r}{env}\n    {s.help}")


@click.command("schema")
@click.option("--markdown", is_flag=True, help="As the Markdown of docs/schema.md.")
def schema_command(markdown: bool) -> None:
    """Print the archive's tables and columns as datasette-metadata.json describes them."""
    text = schema_markdown()
    click.echo(text if markdown else text.replace("`", ""), nl=False)


COMMANDS = [settings_command, schema_command]
