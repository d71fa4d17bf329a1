"""The fallback for sites of no known platform: follow links whose text looks like a report.

Article links are those whose text names a report or a page about 信息公开/政务公开 with a
year; column links (政府信息公开年报, 年度报告, without a year) and 下一页 links are lists.
No rule here knows any host: it reads link texts the way a person scanning the page would.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .base import Follow, Listing, anchors, fragment

NAME = "generic"
REPORTISH = re.compile(r"年报|年度报告|信息公开|政务公开|工作报告")
YEAR = re.compile(r"(?:19|20)\d{2}")
COLUMN = re.compile(r"^(政府)?信息公开(工作)?年(度)?报(告)?$|^年度报告$|^政府信息公开年度报告$|^年报$")
NEXT = re.compile(r"^(下一页|下页|后一页|next|›|»|>)$", re.I)


def detect(url: str, text: str) -> bool:
    return True


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    tree = fragment(text)
    host = urlsplit(url).hostname

    def own(links):  # a site's own pages only: a 年报 link to another site is that site's business
        return [link for link in links if urlsplit(link.url).hostname == host]

    links = [link for link in own(anchors(tree, url, text_pattern=REPORTISH)) if YEAR.search(link.title)]
    follow = [Follow(link.url) for link in own(anchors(tree, url, text_pattern=NEXT))]
    follow += [Follow(link.url) for link in own(anchors(tree, url, text_pattern=COLUMN)) if link.url != url]
    return Listing(links=links, follow=follow)
