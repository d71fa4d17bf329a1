"""A column whose first page is HTML and whose later pages come only from a JSON search API.

Many newer provincial platforms render page 1 on the server and fetch the rest with
``/api/content/list?channelId=&pageNo=&pageSize=`` (the endpoint is named in the page's
script, nowhere in a link). The API answers HTTP 200 with ``code`` 404 for an unknown channel,
as such APIs do.
"""

from __future__ import annotations

import html
import json

from .. import pages
from ..model import Resource

LAYOUT = pages.ArticleLayout(container='<div class="pages_content" id="UCAP-CONTENT">', meta_block="line")
API = "/api/content/list"
MAX_PAGE_SIZE = 50


def column_path(site) -> str:
    return site.column + "index.html"


def channel(site) -> str:
    return site.column.strip("/").split("/")[-1]


def article_path(site, posting) -> str:
    return f"{site.column}{posting.posted:%Y%m}/c{posting.number}.shtml"


def _entry(posting) -> dict:
    return {
        "id": posting.number,
        "title": posting.doc.title,
        "url": posting.path,
        "publishTime": f"{posting.posted:%Y-%m-%d %H:%M:%S}",
        "source": posting.source,
    }


def routes(site, postings) -> dict:
    size = site.page_size
    first = postings[:size]
    items = "\n".join(
        f'<li><a href="{html.escape(p.path)}" title="{html.escape(p.doc.title)}">{html.escape(p.doc.title)}</a>'
        f"<span>{pages.date_of(p.posted)}</span></li>"
        for p in first
    )
    config = json.dumps({"api": API, "channelId": channel(site), "pageSize": size, "total": len(postings)})
    script = f"""<div id="pagination" class="pagination"></div>
<script>
var columnConfig = {config};
function loadPage(n) {{
  $.getJSON(columnConfig.api, {{ channelId: columnConfig.channelId, pageNo: n, pageSize: columnConfig.pageSize }}, function (res) {{
    if (res.code !== 200) {{ return; }}
    $("#list").html($.map(res.data.list, function (x) {{ return '<li><a href="' + x.url + '">' + x.title + '</a><span>' + x.publishTime.substr(0, 10) + '</span></li>'; }}).join(""));
    renderPager(res.data.pageNo, res.data.pages);
  }});
}}
$(function () {{ renderPager(1, Math.ceil(columnConfig.total / columnConfig.pageSize)); }});
</script>"""
    modified = pages.last_modified(first)
    column_page = Resource(
        200,
        pages.list_page(site, column_path(site), f'<ul id="list" class="list">\n{items}\n</ul>', script),
        last_modified=modified,
    )

    def api(query: dict) -> Resource:
        def arg(name: str, default: str) -> str:
            return (query.get(name) or [default])[0]

        if arg("channelId", "") != channel(site):
            return Resource(
                200,
                json.dumps({"code": 404, "msg": "栏目不存在", "data": None}, ensure_ascii=False),
                "application/json",
            )
        try:
            page_no = max(1, int(arg("pageNo", "1")))
            page_size = min(MAX_PAGE_SIZE, max(1, int(arg("pageSize", str(size)))))
        except ValueError:
            return Resource(
                200, json.dumps({"code": 400, "msg": "参数错误", "data": None}, ensure_ascii=False), "application/json"
            )
        chosen = postings[(page_no - 1) * page_size : page_no * page_size]
        data = {
            "total": len(postings),
            "pageNo": page_no,
            "pageSize": page_size,
            "pages": -(-len(postings) // page_size),
            "list": [_entry(p) for p in chosen],
        }
        return Resource(
            200, json.dumps({"code": 200, "msg": "success", "data": data}, ensure_ascii=False), "application/json"
        )

    return {column_path(site): lambda query: column_page, site.column: lambda query: column_page, API: api}


def listing_urls(site, postings) -> list[tuple[str, str]]:
    """The column page, then the API request for each later page."""
    n = max(1, -(-len(postings) // site.page_size))
    return [("list", column_path(site))] + [
        ("api", f"{API}?channelId={channel(site)}&pageNo={i}&pageSize={site.page_size}") for i in range(2, n + 1)
    ]
