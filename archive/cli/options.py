"""Command-line options shared by several commands: one definition, one check."""

from __future__ import annotations

import re
from pathlib import Path

import click

from crawler.settings import settings_by_name


def default(name: str):
    """A setting's default, from the one table (``crawler.settings``), for an option that sets it."""
    return settings_by_name[name].default


def _contact_url(ctx, param, value: str | None) -> str | None:
    """A URL a webmaster can open: it goes into a request header, so no spaces or control characters."""
    if value is None:
        return None
    if not re.fullmatch(r"(https?://|mailto:)[!-~]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s):// or mailto: URL without spaces")
    return value


contact_option = click.option(
    "--contact",
    "contact_url",
    envvar=settings_by_name["NIANBAO_CONTACT_URL"].env,
    metavar="URL",
    callback=_contact_url,
    help="Where webmasters reach whoever runs this crawl; goes into the User-Agent (env NIANBAO_CONTACT_URL).",
)


def db_option(must_exist: bool = False):
    """``--db``: the archive, default ``NIANBAO_DB``'s. Commands that only read it want it to exist;
    ``crawl`` and ``demo`` create it."""
    return click.option(
        "--db",
        type=click.Path(exists=must_exist, dir_okay=False, path_type=Path),
        default=Path(default("NIANBAO_DB")),
        show_default=True,
        help="The archive (SQLite file)." if must_exist else "The archive (created or updated).",
    )
