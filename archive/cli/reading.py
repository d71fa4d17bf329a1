"""``nianbao extract`` and ``nianbao eval``: the reading pipeline on saved pages and files."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (resolves relative links; helps metadata).")
@click.option("--content-type", help="The Content-Type header it was served with, if known.")
def extract_command(file: Path, url: str | None, content_type: str | None) -> None:
    """Run the page pipeline on one saved page or attached file (PDF, DOCX, …) and print one JSON object.

    ``stats`` holds the standard tables read into numbers (null when there are none)."""
    from pipelines.page import is_document, process, process_document

    data = file.read_bytes()
    record = process_document(data, url) if is_document(data) else process(data, url, content_type)
    out = {
        k: getattr(record, k)
        for k in (
            "is_report",
            "reject_reason",
            "title",
            "agency",
            "source",
            "province",
            "city",
            "county",
            "adcode",
            "level",
            "report_year",
            "published_date",
            "site_name",
            "attachments",
            "text",
            "stats",
        )
    }
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


@click.command("eval")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def eval_command(manifest: Path) -> None:
    """Score the page pipeline on labelled pages (JSON lines: path, url, kind, title, published, agency, adcode, report_year)."""
    from pipelines.evaluate import evaluate, report

    try:
        scores, _ = evaluate(manifest)
    except (ValueError, KeyError, OSError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(report(scores))


COMMANDS = [extract_command, eval_command]
