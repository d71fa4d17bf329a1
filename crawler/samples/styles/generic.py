"""A plain CMS: ``index.html``, ``list_2.html``… linked by 上一页/下一页/尾页 anchors.

The fallback of the real web: no platform fingerprint, pagination as ordinary links,
articles at ``content_N.html`` under the column, list dates in brackets.
"""

from __future__ import annotations

import html

from .. import pages

LAYOUT = pages.ArticleLayout(container='<div id="ivs_content" class="article-content">', meta_block="line")


def column_path(site) -> str:
    return site.column + "index.html"


def article_path(site, posting) -> str:
    return f"{site.column}{posting.posted:%Y%m}/content_{posting.number}.html"


def _page_name(i: int) -> str:
    return "index.html" if i == 0 else f"list_{i + 1}.html"


def routes(site, postings) -> dict:
    def render(i, chunk, chunks):
        items = "\n".join(
            f'<li><span class="date">[{pages.date_of(p.posted)}]</span>'
            f'<a href="{html.escape(p.path)}" target="_blank">{html.escape(p.doc.title)}</a></li>'
            for p in chunk
        )
        links = [f'<a href="{_page_name(0)}">首页</a>']
        if i > 0:
            links.append(f'<a href="{_page_name(i - 1)}">上一页</a>')
        links.append(f"<span>第{i + 1}页/共{len(chunks)}页</span>")
        if i < len(chunks) - 1:
            links.append(f'<a href="{_page_name(i + 1)}">下一页</a>')
        links.append(f'<a href="{_page_name(len(chunks) - 1)}">尾页</a>')
        return f'<ul class="news-list">\n{items}\n</ul>', '<div class="pagination">' + " ".join(links) + "</div>"

    return pages.static_pages(site, postings, _page_name, render)


def listing_urls(site, postings) -> list[tuple[str, str]]:
    """(kind, path) of every list page this column serves."""
    return pages.static_listing_urls(site, postings, _page_name)
