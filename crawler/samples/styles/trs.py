"""TRS WCM: ``index.html``, ``index_1.html``… announced only by ``createPageHTML(total, current, "index", "html")``.

Articles live at ``./YYYYMM/tYYYYMMDD_N.html`` under the column. The page links of a TRS list
are written by JavaScript, so a crawler must read the ``createPageHTML`` call to find them.
"""

from __future__ import annotations

import html

from .. import pages

LAYOUT = pages.ArticleLayout(container='<div class="TRS_Editor"><div class="Custom_UnionStyle">', meta_block="table")

# The pager script as TRS templates inline it (written for the samples).
PAGER_JS = """<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var out = "";
  var name = function(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  if (_nCurrIndex > 0) { out += "<a href=\\"" + name(0) + "\\">首页</a> <a href=\\"" + name(_nCurrIndex - 1) + "\\">上一页</a> "; }
  if (_nCurrIndex < _nPageCount - 1) { out += "<a href=\\"" + name(_nCurrIndex + 1) + "\\">下一页</a> <a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>"; }
  out += " 共" + _nPageCount + "页";
  document.write(out);
}
</script>"""


def column_path(site) -> str:
    return site.column + "index." + site.ext


def article_path(site, posting) -> str:
    d = posting.posted
    return f"{site.column}{d:%Y%m}/t{d:%Y%m%d}_{posting.number}.{site.ext}"


def _page_name(site, i: int) -> str:
    return f"index.{site.ext}" if i == 0 else f"index_{i}.{site.ext}"


def routes(site, postings) -> dict:
    def render(i, chunk, chunks):
        items = "\n".join(
            f'<tr><td class="bullet">·</td><td><a href=".{html.escape(p.path[len(site.column) - 1 :])}" '
            f'title="{html.escape(p.doc.title)}" target="_blank">{html.escape(pages.short_title(p.doc.title))}</a></td>'
            f'<td class="date">{pages.date_of(p.posted)}</td></tr>'
            + ('\n<tr class="GroupBlankLine"><td colspan="3"></td></tr>' if n % 5 == 4 else "")
            for n, p in enumerate(chunk)
        )
        pager = (
            f'<div class="page">{PAGER_JS}\n<script>createPageHTML({len(chunks)}, {i}, "index", "{site.ext}");</script>'
            "</div>"
        )
        return f'<table class="list" width="97%">\n{items}\n</table>', pager

    return pages.static_pages(site, postings, lambda i: _page_name(site, i), render)


def listing_urls(site, postings) -> list[tuple[str, str]]:
    """(kind, path) of every list page this column serves."""
    return pages.static_listing_urls(site, postings, lambda i: _page_name(site, i))
