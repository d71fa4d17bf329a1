"""gov.cn-style UCAP (开普云) columns: ``index.htm``, ``index_1.htm``… from a six-argument pager call.

The list names its other pages only in ``createPageHTML('page_div', pages, current, 'index',
'htm', records)``; articles live at ``…/YYYY-MM/DD/content_N.htm`` under the column and show
their text in ``#UCAP-CONTENT``.
"""

from __future__ import annotations

import html

from .. import pages

LAYOUT = pages.ArticleLayout(container='<div id="UCAP-CONTENT" class="pages_content">', meta_block="line")

PAGER_JS = """<script>
function createPageHTML(id, pageCount, current, name, ext, records) {
  if (pageCount <= 1) { return; }
  var link = function (i) { return (i == 0 ? name : name + "_" + i) + "." + ext; };
  var out = "共" + records + "条 ";
  if (current > 1) { out += '<a href="' + link(current - 2) + '">上一页</a> '; }
  if (current < pageCount) { out += '<a href="' + link(current) + '">下一页</a>'; }
  document.getElementById(id).innerHTML = out;
}
</script>"""


def column_path(site) -> str:
    return site.column + "index.htm"


def article_path(site, posting) -> str:
    return f"{site.column}{posting.posted:%Y-%m}/{posting.posted:%d}/content_{posting.number}.htm"


def _page_name(i: int) -> str:
    return "index.htm" if i == 0 else f"index_{i}.htm"


def routes(site, postings) -> dict:
    def render(i, chunk, chunks):
        items = "\n".join(
            f'<li><h4><a href="{html.escape(p.path)}" target="_blank">{html.escape(p.doc.title)}</a>'
            f'<span class="date">{pages.date_of(p.posted)}</span></h4></li>'
            for p in chunk
        )
        pager = (
            f'<div id="page_div" class="pages"></div>{PAGER_JS}\n<script>createPageHTML(\'page_div\', '
            f"{len(chunks)}, {i + 1}, 'index', 'htm', {len(postings)});</script>"
        )
        return f'<div class="list list_1 list_2"><ul>\n{items}\n</ul></div>', pager

    return pages.static_pages(site, postings, _page_name, render)


def listing_urls(site, postings) -> list[tuple[str, str]]:
    return pages.static_listing_urls(site, postings, _page_name)
