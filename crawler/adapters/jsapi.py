"""Columns whose later pages come only from a JSON search API named in the page's script.

Page 1 is HTML; a script holds the endpoint and the paging facts (an object with an ``api``
path, a channel, ``pageSize`` and ``total``). We request every later page of the endpoint
and read any JSON list of objects that have a title and a URL, whatever the nesting.

Huilan easysite columns (the People's Bank of China's, among others) are the other kind:
page 1 is HTML and its pager has no hrefs, only ``queryArticleByCondition(this, URL)`` and
``jumpTo(this, pages, current, '…/MODULE-%1.html')`` calls, whose script loads the later pages
from those URLs. We read the page count and the pattern from the ``jumpTo`` call (else the
``queryArticleByCondition`` URLs) and fetch the pages with GET, which the static fragments
answer; the real column checked this against is ``../shared/realpages/misc/01-pbc-list.html``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urljoin

from pipelines.dates import find_dates

from .base import MAX_FOLLOW, Follow, Link, Listing, anchors, column_dir, fragment

NAME = "jsapi"
CONFIG = re.compile(r"=\s*(\{[^{};]*[\"']api[\"']\s*:\s*[\"'][^\"']+[\"'][^{};]*\})\s*;")
_TITLE_KEYS = ("title", "name", "docTitle", "articleTitle")
_URL_KEYS = ("url", "link", "href", "docUrl", "articleUrl")
_DATE_KEYS = ("publishTime", "pubDate", "publishDate", "date", "createTime", "docRelTime")
_PAGE_KEYS = ("pageNo", "page", "pageIndex", "currentPage")
JUMP = re.compile(
    r"""jump(?:To|ToPage)\(\s*\w+\s*,\s*(?:\w+\s*,\s*)?['"](\d+)['"]\s*,\s*['"](\d+)['"]\s*,\s*['"]([^'"]*%1[^'"]*)['"]"""
)
QUERY = re.compile(r"""queryArticleByCondition\(\s*\w+\s*,\s*['"]([^'"]+)['"]""")


def detect(url: str, text: str) -> bool:
    return bool(CONFIG.search(text) or QUERY.search(text)) or text.lstrip().startswith("{")


def _easysite_pages(url: str, text: str) -> list[Follow]:
    """Pages 2… of an easysite column, from page 1's pager calls (later pages announce nothing new)."""
    m = JUMP.search(text)
    if m:
        total, current, pattern = int(m.group(1)), int(m.group(2)), m.group(3)
        if current != 1:
            return []
        return [Follow(urljoin(url, pattern.replace("%1", str(n)))) for n in range(2, min(total, MAX_FOLLOW + 1) + 1)]
    seen = dict.fromkeys(urljoin(url, u) for u in QUERY.findall(text))
    return [Follow(u) for u in seen if u != url][:MAX_FOLLOW]


def _entries(data) -> list[dict]:
    """Every dict with a title and a URL, anywhere in a JSON document."""
    found = []
    if isinstance(data, dict):
        if any(k in data for k in _TITLE_KEYS) and any(k in data for k in _URL_KEYS):
            found.append(data)
        for value in data.values():
            found += _entries(value)
    elif isinstance(data, list):
        for value in data:
            found += _entries(value)
    return found


def _count(value, default: int) -> int:
    """A page size or total from page-supplied JSON: whole numbers only, else the default."""
    if isinstance(value, bool):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return int(number) if number == number and abs(number) < 1e9 else default


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
            entries = _entries(data)
        except (ValueError, RecursionError):
            return Listing()
        links = []
        for entry in entries:
            title = next(entry[k] for k in _TITLE_KEYS if k in entry)
            href = next(entry[k] for k in _URL_KEYS if k in entry)
            if not (isinstance(title, str) and title.strip() and isinstance(href, str) and href.strip()):
                continue
            raw_date = next((str(entry[k]) for k in _DATE_KEYS if k in entry), None)
            dates = find_dates(raw_date or "")
            links.append(Link(urljoin(url, href), title, dates[0].isoformat() if dates else None))
        return Listing(links=links)
    listing = Listing(links=anchors(fragment(text), url, need_date=True, under=column_dir(url)))
    m = CONFIG.search(text)
    if not m:
        listing.follow = _easysite_pages(url, text) if QUERY.search(text) else []
        return listing
    try:
        config = json.loads(m.group(1))
    except ValueError:
        return listing
    size, total = _count(config.get("pageSize"), 10), _count(config.get("total"), 0)
    if size < 1:
        return listing
    params = {k: v for k, v in config.items() if k not in ("api", "total", "pageSize") and isinstance(v, (str, int))}
    page_key = next((k for k in _PAGE_KEYS if k in config), "pageNo")
    for page in range(2, min(-(-total // size), MAX_FOLLOW + 1) + 1):
        query = urlencode({**params, page_key: page, "pageSize": size})
        listing.follow.append(Follow(urljoin(url, config["api"]) + "?" + query))
    return listing
