"""Guangdong's gkmlpt: a script shell at ``/gkmlpt/index`` and a JSON API for every page of a category.

The column is a category id: the registry's URL is ``/gkmlpt/index#CAT`` (the fragment never
reaches the server, so the shell is the same for every category) and the shell's script asks
``/gkmlpt/api/all/CAT?page=N&sid=SID`` for the ``articles`` with ``total``; dates are Unix
seconds. Articles live at ``/gkmlpt/content/D/N/post_N.html``. Unknown categories answer an
empty list, as such APIs do.
"""

from __future__ import annotations

import datetime as dt
import json

from .. import pages
from ..model import Resource

LAYOUT = pages.ArticleLayout(container='<div class="article-content">', meta_block="table")
INDEX = "/gkmlpt/index"
CHINA = dt.timezone(dt.timedelta(hours=8))


def sid(site) -> str:
    return str(int(site.site_code[-4:] or 0) + 700)


def column_path(site) -> str:
    return f"{INDEX}#{site.column}"


def article_path(site, posting) -> str:
    return f"/gkmlpt/content/{posting.number % 10}/{posting.number}/post_{posting.number}.html"


def _entry(posting) -> dict:
    seconds = int(posting.posted.replace(tzinfo=CHINA).timestamp())
    return {
        "id": posting.number,
        "title": posting.doc.title,
        "url": posting.url,
        "date": seconds,
        "publisher": posting.source,
        "identifier": f"{posting.site.site_code[:6]}/{posting.number}",
    }


def routes(site, postings) -> dict:
    size = site.page_size
    script = f"""<div id="app"><p class="loading">正在加载……</p></div>
<script>
var SID = "{sid(site)}";
function load(cat, page) {{
  $.getJSON("/gkmlpt/api/all/" + cat, {{ page: page, sid: SID }}, function (res) {{
    $("#app").html($.map(res.articles, function (a) {{ return '<li><a href="' + a.url + '">' + a.title + '</a></li>'; }}).join(""));
    renderPager(page, Math.ceil(res.total / {size}));
  }});
}}
$(function () {{ load(location.hash.slice(1) || "0", 1); }});
</script>"""
    shell = Resource(
        200, pages.list_page(site, column_path(site), "", script), last_modified=pages.last_modified(postings[:size])
    )

    def api(query: dict) -> Resource:
        def arg(name: str, default: str) -> str:
            return (query.get(name) or [default])[0]

        chosen_all = postings if arg("sid", "") == sid(site) else []
        try:
            page = max(1, int(arg("page", "1")))
        except ValueError:
            return Resource(200, json.dumps({"code": 400, "msg": "参数错误"}, ensure_ascii=False), "application/json")
        chosen = chosen_all[(page - 1) * size : page * size]
        body = {"articles": [_entry(p) for p in chosen], "total": len(chosen_all), "page": page}
        return Resource(
            200,
            json.dumps(body, ensure_ascii=False),
            "application/json",
            last_modified=max((p.posted for p in chosen), default=None),
        )

    empty = Resource(200, json.dumps({"articles": [], "total": 0, "page": 1}), "application/json")
    return {INDEX: lambda query: shell, f"/gkmlpt/api/all/{site.column}": api, "/gkmlpt/api/all/0": lambda query: empty}


def listing_urls(site, postings) -> list[tuple[str, str]]:
    """The shell, then the API request for each page of the category."""
    n = max(1, -(-len(postings) // site.page_size))
    return [("list", column_path(site))] + [
        ("api", f"/gkmlpt/api/all/{site.column}?page={i}&sid={sid(site)}") for i in range(1, n + 1)
    ]
