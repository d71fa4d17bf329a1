"""The site registry: one CSV row per site, ``site_id,name,adcode,level,platform,start_urls``.

Sites are data: anyone can crawl their own list by writing this file. A bad row is reported
with its line number and skipped; the other sites are still crawled. Optional columns:

- ``website`` (a portal home page) and ``disclosure_hint`` (a page of its 信息公开 tree): a row
  with a website but no start URL is crawled by finding its report column first (the spider's
  discovery, ``crawler.spiders.discovery``);
- ``robots_override``: for a site whose robots.txt we may ignore, the reason (such as the
  site's written permission); it is kept in the ``sites`` table. Empty: robots.txt is obeyed.

A row with neither start URL nor website (a division whose site is not known) is valid but not
crawlable: such rows are counted in one message rather than one error each. Further columns
(``status``, ``verified``, … of ``crawler.national``) are allowed and ignored here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

COLUMNS = ("site_id", "name", "adcode", "level", "platform", "start_urls")
OPTIONAL_COLUMNS = ("robots_override", "website", "disclosure_hint")
LEVELS = ("province", "prefecture", "county", "township", "department")
_SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    adcode: str | None
    level: str
    platform: str  # an adapter name, or "auto"
    start_urls: tuple[str, ...]
    robots_override: str | None = None  # why this site's robots.txt is not obeyed; None: it is
    website: str | None = None  # the portal, where the report column is found when start_urls is empty
    disclosure_hint: str | None = None  # a page of the site's 信息公开 tree, a second place to start looking

    def as_row(self) -> dict:
        return {
            "site_id": self.site_id,
            "name": self.name,
            "adcode": self.adcode,
            "level": self.level,
            "platform": self.platform,
            "start_urls": " ".join(self.start_urls),
            "robots_override": self.robots_override,
            "website": self.website,
        }


class NoStartUrl(ValueError):
    """A valid row that names neither a start URL nor a website: nothing to crawl for that site."""


class RegistryError(ValueError):
    """The registry file as a whole cannot be read (missing, no header, wrong columns)."""


def parse(text: str, platforms: tuple[str, ...], source: str = "registry") -> tuple[list[Site], list[str]]:
    """Sites from CSV text, and one message per rejected row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{source}: the header must name {','.join(COLUMNS)}; missing {', '.join(missing)}")
    sites: list[Site] = []
    errors: list[str] = []
    seen: set[str] = set()
    starts: dict[str, str] = {}  # start URL -> the site it belongs to
    unready: list[str] = []
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(f"{source}:{reader.line_num}: unreadable CSV ({e}); the rest of the file is skipped")
            break
        line = reader.line_num
        if None in row:
            errors.append(
                f"{source}:{line}: more fields than the header names (an unescaped comma or quote?); row skipped"
            )
            continue
        try:
            site = _site(row, platforms)
        except NoStartUrl:
            unready.append(f"{(row.get('site_id') or '').strip()} (line {line})")
            continue
        except ValueError as e:
            errors.append(f"{source}:{line}: {e}; row skipped")
            continue
        if site.site_id in seen:
            errors.append(f"{source}:{line}: site_id {site.site_id!r} appears twice; row skipped")
            continue
        shared = [f"{url} (also {starts[url]}'s)" for url in site.start_urls if url in starts]
        if shared:  # the crawl would ask it once, for whichever site came first: say so, not drop it silently
            errors.append(f"{source}:{line}: start URL {', '.join(shared)}; row skipped")
            continue
        seen.add(site.site_id)
        starts.update(dict.fromkeys(site.start_urls, site.site_id))
        sites.append(site)
    if unready:
        errors.append(
            f"{source}: {len(unready)} row(s) name neither start_urls nor a website and are not crawled (first: "
            f"{', '.join(unready[:3])})"
        )
    return sites, errors


def _site(row: dict, platforms: tuple[str, ...]) -> Site:
    def field(name: str) -> str:
        return (row.get(name) or "").strip()

    site_id = field("site_id")
    if not _SITE_ID.match(site_id):
        raise ValueError(f"site_id {site_id!r} must be letters, digits, '_', '-' or '.'")
    adcode = field("adcode") or None
    if adcode and not re.fullmatch(r"[0-9]{6}", adcode):
        raise ValueError(f"adcode {adcode!r} is not a six-digit GB/T 2260 code")
    level = field("level")
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    platform = field("platform") or "auto"
    if platform != "auto" and platform not in platforms:
        raise ValueError(f"platform {platform!r} is not auto or one of {', '.join(platforms)}")
    urls = tuple(field("start_urls").split())
    website, hint = field("website") or None, field("disclosure_hint") or None
    if not urls and not website:
        raise NoStartUrl(site_id)
    for what, url in [*(("start URL", u) for u in urls), ("website", website), ("disclosure_hint", hint)]:
        parts = urlsplit(url or "")
        if url and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ValueError(f"{what} {url!r} is not an http(s) URL")
    return Site(
        site_id,
        field("name") or site_id,
        adcode,
        level,
        platform,
        urls,
        field("robots_override") or None,
        website,
        hint,
    )


def load(path: str | Path, platforms: tuple[str, ...]) -> tuple[list[Site], list[str]]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such registry file") from None
    except IsADirectoryError:
        raise RegistryError(f"{path}: a directory, not a registry file") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegistryError(f"{path}: the registry is UTF-16; save it as UTF-8 CSV") from None
    if not data.strip():
        raise RegistryError(f"{path}: the registry is empty; its first line must name {','.join(COLUMNS)}")
    if b"\x00" in data[:8192]:
        raise RegistryError(f"{path}: not a text file (it holds NUL bytes); the registry must be UTF-8 CSV")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RegistryError(
            f"{path}: the registry must be UTF-8 CSV (byte {e.start} is not UTF-8: GBK? save it as UTF-8)"
        ) from None
    return parse(text, platforms, source=str(path))
