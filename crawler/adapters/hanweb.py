"""Hanweb/大汉 JCMS columns: records in a ``<datastore>``, later groups from ``dataproxy.jsp``.

The column page inlines its first group of records, each a CDATA ``<li>``; the ``<nextgroup>``
link names the column (columnid, unitid, webid, …), which jpage posts to
``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=``. Its XML answer carries
``<totalrecord>``; we ask group after group until that many records are seen or a group is empty.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from .base import Follow, Listing, anchors, fragment

NAME = "hanweb"
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S)
TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*(\d+)")
PERPAGE = re.compile(r"perPage\s*[:=]\s*(\d+)|perpage=(\d+)")
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


def detect(url: str, text: str) -> bool:
    return "<datastore>" in text or "dataproxy.jsp" in text or bool(re.search(r"/col/col\d+/", url))


def _number(pattern: re.Pattern, text: str) -> int | None:
    m = pattern.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


def parse(url: str, text: str, request_body: bytes | None = None) -> Listing:
    records = RECORD.findall(text)
    links = []
    for record in records:
        links += anchors(fragment(record), url)
    listing = Listing(links=links)
    total = _number(TOTAL, text)
    query = parse_qs(urlsplit(url).query)
    if urlsplit(url).path.endswith("dataproxy.jsp"):
        # An answer to our own request: ask for the next group while records remain.
        start = int(query.get("startrecord", ["1"])[0])
        end = int(query.get("endrecord", [str(start + len(records) - 1)])[0])
        perpage = query.get("perpage", ["15"])[0]
        if records and (total is None or end < total):
            step = end - start + 1
            listing.follow = [_request(url, end + 1, end + step, perpage, request_body or b"")]
        return listing
    m = NEXTGROUP.search(text)
    if m and records and (total is None or len(records) < total):
        link = urljoin(url, html.unescape(m.group(1)))
        if not link.startswith(("http://", "https://")):
            link = url  # a javascript: link: the parameters are in its query, the endpoint is ours
        params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        form = {
            "col": "1",
            "appid": params.get("appid", "1"),
            "webid": params.get("webid", ""),
            "path": params.get("path", "/"),
            "columnid": params.get("columnid", ""),
            "sourceContentType": "1",
            "unitid": params.get("unitid", ""),
            "webname": params.get("webname", ""),
            "permissiontype": params.get("permissiontype", "0"),
        }
        perpage = str(_number(PERPAGE, text) or 15)
        step = len(records)
        listing.follow = [_request(link, step + 1, 2 * step, perpage, urlencode(form).encode())]
    return listing


def _request(base: str, start: int, end: int, perpage: str, form: bytes) -> Follow:
    url = (
        urljoin(base if base.startswith(("http://", "https://")) else "http://invalid/", DATAPROXY)
        + "?"
        + urlencode({"startrecord": start, "endrecord": end, "perpage": perpage})
    )
    return Follow(url, method="POST", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
