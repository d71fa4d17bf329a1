"""Hanweb/大汉 JCMS: ``/col/colN/index.html`` columns whose records sit in an inline ``<datastore>``.

The column page carries the first group of records as ``<record><![CDATA[<li>…</li>]]></record>``
inside ``<script type="text/xml">``; the jpage script fetches later groups from
``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=`` with the column's
``columnid``/``unitid``/``webid`` (from the ``<nextgroup>`` link), answered as XML.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from .. import pages
from ..model import Resource

LAYOUT = pages.ArticleLayout(container='<div id="zoom">', meta_block="list")
GROUP_PAGES = 3  # jpage fetches this many pages of records at a time
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def column_path(site) -> str:
    return f"/col/col{site.column}/index.html"


def article_path(site, posting) -> str:
    d = posting.posted
    return f"/art/{d.year}/{d.month}/{d.day}/art_{site.column}_{posting.number}.html"


def ids(site) -> dict[str, str]:
    """The jpage parameters that name the column on a Hanweb site."""
    code = int(site.site_code[-4:] or 0)
    return {"columnid": site.column, "unitid": str(30000 + code), "webid": str(100 + code % 900)}


def _record(posting) -> str:
    title = html.escape(posting.doc.title)
    return (
        f'<record><![CDATA[<li class="clearfix"><a href="{posting.path}" title="{title}" target="_blank">'
        f"{html.escape(pages.short_title(posting.doc.title))}</a><b>{pages.date_of(posting.posted)}</b></li>]]></record>"
    )


def _nextgroup(site) -> str:
    p = ids(site)
    webname = quote(quote(site.name))  # Hanweb double-encodes the site name
    return (
        f'<nextgroup><![CDATA[<a href="{DATAPROXY}?page=1&appid=1&webid={p["webid"]}&path=/&columnid={p["columnid"]}'
        f'&unitid={p["unitid"]}&webname={webname}&permissiontype=0"></a>]]></nextgroup>'
    )


def routes(site, postings) -> dict:
    size = site.page_size
    group = postings[: size * GROUP_PAGES]
    records = "\n".join(_record(p) for p in group)
    p = ids(site)
    listing = f"""<div id="{p["columnid"]}"><script type="text/xml"><datastore>
{_nextgroup(site)}
<recordset>
{records}
</recordset>
</datastore></script></div>"""
    script = f"""<script src="/module/web/jpage/jpage.js"></script>
<script>$(function(){{ $("#{p["columnid"]}").jpage({{ dataStore: "xml", perPage: {size}, groupSize: {GROUP_PAGES},
  totalRecord: {len(postings)}, proxyUrl: "{DATAPROXY}", dataAttribute: ["columnid", "unitid", "webid"],
  ajaxParam: {{ col: 1, appid: 1, webid: {p["webid"]}, path: "/", columnid: {p["columnid"]}, sourceContentType: 1,
  unitid: {p["unitid"]}, permissiontype: 0 }} }}); }});</script>"""
    modified = pages.last_modified(postings[: size * GROUP_PAGES])
    column_page = Resource(200, pages.list_page(site, column_path(site), listing, script), last_modified=modified)

    def dataproxy(query: dict) -> Resource:
        def arg(name: str, default: str = "") -> str:
            return (query.get(name) or [default])[0]

        try:
            start = max(1, int(arg("startrecord", "1")))
            end = int(arg("endrecord", str(start + size * GROUP_PAGES - 1)))
        except ValueError:
            return Resource(400, "startrecord/endrecord must be numbers", "text/plain")
        chosen = postings[start - 1 : end] if arg("columnid") == p["columnid"] else []
        body = "\n".join(_record(x) for x in chosen)
        total = len(postings) if arg("columnid") == p["columnid"] else 0
        pages_total = -(-total // size) if size else 0
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
            f"<totalpage>{pages_total}</totalpage>\n<recordset>\n{body}\n</recordset>\n</datastore>"
        )
        return Resource(200, xml, "text/xml", last_modified=max((x.posted for x in chosen), default=None))

    return {
        column_path(site): lambda query: column_page,
        f"/col/col{site.column}/": lambda query: column_page,
        DATAPROXY: dataproxy,
    }


def listing_urls(site, postings) -> list[tuple[str, str]]:
    """The column page, then one dataproxy.jsp request per later group of records."""
    p = ids(site)
    step = site.page_size * GROUP_PAGES
    urls = [("list", column_path(site))]
    for start in range(step + 1, len(postings) + 1, step):
        urls.append(
            (
                "api",
                f"{DATAPROXY}?startrecord={start}&endrecord={start + step - 1}&perpage={site.page_size}"
                f"&columnid={p['columnid']}&unitid={p['unitid']}&webid={p['webid']}",
            )
        )
    return urls
