"""Guangdong's 政府信息公开目录平台 (gkmlpt): a script page at ``/gkmlpt/index#CAT``, lists from JSON.

The page is a shell; its script asks ``/gkmlpt/api/all/{cat}?page=N&sid=SID`` for each page
of a category and renders the ``articles`` (``title``, ``url``, ``date`` as Unix seconds, or
``publish_time``/``first_publish_time`` as text) with ``total``. The category is the URL's
fragment (``#2456``; ``?cat=2456`` is read too), the site id (``sid``) is in the page's
script or the URL. The JSON shape is taken from what gkmlpt sites are known to answer; no
saved real page has checked it here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from .base import MAX_FOLLOW, Follow, Link, Listing

NAME = "gkmlpt"
API = re.compile(r"/gkmlpt/api/all/(\d+)")
SID = re.compile(r"""\bsid\b["']?\s*[:=]\s*["']?(\d+)""", re.I)
CHINA = dt.timezone(dt.timedelta(hours=8))
_DATE_KEYS = ("publish_time", "first_publish_time", "date", "created_at")


def detect(url: str, text: str) -> bool:
    return "/gkmlpt/" in urlsplit(url).path or "/gkmlpt/api/" in text


def _category(url: str, text: str) -> str | None:
    parts = urlsplit(url)
    if parts.fragment.isdigit():
        return parts.fragment
    query = parse_qs(parts.query)
    for key in ("cat", "catid", "category"):
        if query.get(key, [""])[0].isdigit():
            return query[key][0]
    m = re.search(r"""\b(?:cat|catid|category_id)\b["']?\s*[:=]\s*["']?(\d+)""", text, re.I)
    return m.group(1) if m else None


def _date(entry: dict) -> str | None:
    for key in _DATE_KEYS:
        value = entry.get(key)
        if isinstance(value, bool) or value in (None, ""):
            continue
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
            seconds = float(value) / (1000 if float(value) > 1e11 else 1)  # seconds or milliseconds
            if 0 < seconds < 4e9:
                return dt.datetime.fromtimestamp(seconds, CHINA).date().isoformat()
            continue
        m = re.match(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})", str(value))
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def _count(value, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**8 else default


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    api = API.search(urlsplit(url).path)
    if api is None:  # the shell page: ask the API for the first page of its category
        cat = _category(url, text)
        sid = parse_qs(urlsplit(url).query).get("sid", [None])[0] or (SID.search(text) or [None, None])[1]
        if not cat:
            return Listing()
        query = {"page": 1} | ({"sid": sid} if sid else {})
        return Listing(follow=[Follow(urljoin(url, f"/gkmlpt/api/all/{cat}") + "?" + urlencode(query))])
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return Listing()
    articles = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        return Listing()
    links = []
    for entry in articles:
        if not isinstance(entry, dict):
            continue
        title, href = entry.get("title"), entry.get("url")
        if isinstance(title, str) and title.strip() and isinstance(href, str) and href.strip():
            links.append(Link(urljoin(url, href.split("#", 1)[0].strip()), title.strip(), _date(entry)))
    listing = Listing(links=links)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    page = int(query["page"]) if query.get("page", "1").isdigit() else 1
    total, size = _count(data.get("total")), len(articles)
    if page == 1 and size and total > size:  # the first page announces them all
        base = url.split("?", 1)[0]
        for n in range(2, min(-(-total // size), MAX_FOLLOW + 1) + 1):
            listing.follow.append(Follow(base + "?" + urlencode({**query, "page": n})))
    return listing
