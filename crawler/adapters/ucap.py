"""gov.cn-style UCAP (开普云) columns: ``index.htm``, ``index_1.htm``… from a six-argument pager call.

The list page names its pages only in ``createPageHTML('page_div', pages, current, 'index',
'htm', records)`` (the element id first, unlike TRS's four numbers-first arguments);
articles are ``…/content_N.htm`` under the column, shown in ``#UCAP-CONTENT``. Only the first
page announces the others. These fingerprints come from knowledge of gov.cn-style sites; no
saved real page has checked them here.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import MAX_FOLLOW, Follow, Listing, anchors, column_dir, fragment

NAME = "ucap"
PAGER = re.compile(
    r"createPageHTML\(\s*[\"'][\w-]*[\"']\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,"
    r"\s*[\"'](\w+)[\"']"
)
ARTICLE = re.compile(r"(?:^|/)content_\d+\.s?html?(?:$|\?)")
LATER_PAGE = re.compile(r"_\d+\.s?html?$")


def detect(url: str, text: str) -> bool:
    return bool(PAGER.search(text)) or ("UCAP" in text and len(ARTICLE.findall(text)) >= 3)


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    listing = Listing(links=anchors(fragment(text), url, href_pattern=ARTICLE, under=column_dir(url)))
    calls = [m for m in PAGER.finditer(text) if "function" not in text[max(0, m.start() - 9) : m.start()]]
    if calls and not LATER_PAGE.search(url.split("?", 1)[0]):
        total, name, ext = int(calls[-1].group(1)), calls[-1].group(3), calls[-1].group(4)
        listing.follow = [Follow(urljoin(url, f"{name}_{i}.{ext}")) for i in range(1, min(total, MAX_FOLLOW + 1))]
    return listing
