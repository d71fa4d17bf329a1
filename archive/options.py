"""Command-line options shared by ``nianbao crawl`` and ``nianbao sites``: one definition, one check."""

from __future__ import annotations

import re

import click


def _contact_url(ctx, param, value: str | None) -> str | None:
    """A URL a webmaster can open: it goes into a request header, so no spaces or control characters."""
    if value is None:
        return None
    if not re.fullmatch(r"(https?://|mailto:)[!-~]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s):// or mailto: URL without spaces")
    return value


contact_option = click.option(
    "--contact", "contact_url", envvar="NIANBAO_CONTACT_URL", metavar="URL", callback=_contact_url,
    help="Where webmasters reach whoever runs this crawl; goes into the User-Agent (env NIANBAO_CONTACT_URL).")
