"""TRS WCM columns: ``createPageHTML(total, current, "index", "html")`` pagination, t-date articles.

The page links of a TRS list exist only inside that JavaScript call; its arguments give the
page count and the file name pattern (``index_1.html`` … ``index_{total-1}.html``).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import MAX_FOLLOW, Follow, Listing, anchors, column_dir, fragment

NAME = "trs"
PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)")
ARTICLE = re.compile(r"(?:^|/)t\d{8}_\d+\.s?html?(?:$|\?)")


def detect(url: str, text: str) -> bool:
    return bool(PAGER.search(text)) or len(ARTICLE.findall(text)) >= 3


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    listing = Listing(links=anchors(fragment(text), url, href_pattern=ARTICLE, under=column_dir(url)))
    calls = [m for m in PAGER.finditer(text) if "function" not in text[max(0, m.start() - 9) : m.start()]]
    if calls:
        total, current, name, ext = (
            int(calls[-1].group(1)),
            int(calls[-1].group(2)),
            calls[-1].group(3),
            calls[-1].group(4),
        )
        if current == 0:  # the first page announces them all; later pages add nothing new
            listing.follow = [Follow(urljoin(url, f"{name}_{i}.{ext}")) for i in range(1, min(total, MAX_FOLLOW + 1))]
    return listing
