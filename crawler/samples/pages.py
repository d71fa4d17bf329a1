"""The page chrome of a sample government site, and its article pages.

Real pages wrap a report in a lot that is not the report: header and navigation, a
breadcrumb (当前位置), the 索引号/发布机构/发文日期 block (whose 发布机构 often names an
uploader), hit counters, print/close links, previous/next links, a sidebar of 热点 with
their own dates, and a footer with 主办单位, ICP number and 网站标识码. Extractors must learn
to drop all of it, so the samples carry all of it. What differs by CMS family (the content
container, the shape of the metadata block) comes from the site's style.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from . import tables
from .model import Posting, Resource, SiteSpec, stable_rng

SAMPLE_NOTICE = "本站为 nianbao 示例站点，所有内容均为测试用虚构文本，不代表任何政府机关。"

_HOT_TOPICS = (
    "关于开展{y}年度安全生产大检查的通知",
    "{p}召开{y}年第三季度经济形势分析会",
    "{p}{y}年度重点民生实事进展情况",
    "{p}举办{y}年政务开放日活动",
    "关于{y}年城乡居民医疗保险参保缴费的公告",
    "{p}发布{y}年秋季森林防火令",
    "{y}年{p}招聘社区工作者公告",
    "{p}推进老旧小区改造工作纪实",
    "关于调整{p}公交线路的通告",
    "{p}{y}年度义务教育招生工作方案解读",
)


@dataclass(frozen=True)
class ArticleLayout:
    """What a CMS family's article page looks like around the text."""

    container: str  # the opening tag of the content container, e.g. '<div class="TRS_Editor">'
    meta_block: str  # "table" (TRS 信息公开 table), "list" (Hanweb ul), "line" (one line under the title)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def meta_charset_tag(site: SiteSpec) -> str:
    if site.meta_charset is None:
        return ""
    if site.meta_charset.lower().startswith("gb"):
        return f'<meta http-equiv="Content-Type" content="text/html; charset={site.meta_charset}">'
    return f'<meta charset="{site.meta_charset}">'


def page(site: SiteSpec, title: str, main: str, extra_meta: str = "", extra_head: str = "") -> str:
    """A whole HTML page of the site: head, header, navigation, ``main``, sidebar and footer."""
    body = site.body
    rng = stable_rng(site.site_id, title, "chrome")
    year = rng.randint(2021, 2025)
    hot = "\n".join(
        f'<li><a href="/xwzx/{year}{rng.randint(1, 12):02d}/t{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}_'
        f'{rng.randint(10000, 99999)}.html">{_e(t.format(y=year, p=body.place))}</a>'
        f"<span>{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span></li>"
        for t in rng.sample(_HOT_TOPICS, 6)
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta_charset_tag(site)}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{_e(site.name)}">
<meta name="SiteDomain" content="{site.host}">
<meta name="SiteIDCode" content="{site.site_code}">
{extra_meta}
<title>{_e(title)}</title>
<link rel="stylesheet" href="/images/common.css">
<script src="/js/jquery-1.12.4.min.js"></script>
{extra_head}
</head>
<body>
<div class="topbar"><div class="w1200"><span>欢迎访问{_e(site.name)}</span>
<a href="javascript:;">无障碍浏览</a> | <a href="javascript:;">长者模式</a> | <a href="/uc/login">登录</a> | <a href="/uc/register">注册</a></div></div>
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/images/logo.png" alt="{_e(site.name)}"></a>
<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zj/">走进{_e(body.place)}</a></li></ul></div>
<div class="main w1200">
{main}
<div class="sidebar">
<div class="side-box"><h3>热点推荐</h3><ul>
{hot}
</ul></div>
<div class="side-box"><h3>相关链接</h3><ul><li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li>
<li><a href="/zwgk/zfxxgkzd/">政府信息公开制度</a></li><li><a href="/hdjl/ysqgk/">依申请公开</a></li></ul></div>
</div>
</div>
<div class="footer"><div class="w1200">
<p>主办单位：{_e(body.office)}　承办单位：{_e(body.place)}大数据中心　联系电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}</p>
<p>网站标识码：{site.site_code}　{_e(site.icp)}　示公网安备 {rng.randint(10000000000000, 99999999999999)}号</p>
<p>版权所有：{_e(site.name)}　{SAMPLE_NOTICE}</p>
</div></div>
</body>
</html>"""


def crumb(site: SiteSpec, column_url: str) -> str:
    return (
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
        f'<a href="{_e(column_url)}">{_e(site.column_name)}</a></div>'
    )


def _index_number(posting: Posting) -> str:
    d = posting.doc.published
    return f"{posting.site.site_code[:6]}-{d:%Y}-{posting.number:06d}"


def _meta_block(posting: Posting, layout: ArticleLayout) -> str:
    doc, date = posting.doc, posting.posted
    if layout.meta_block == "table":
        return f"""<table class="xxgk-table">
<tr><td class="tit">索 引 号：</td><td>{_index_number(posting)}</td><td class="tit">分　　类：</td><td>政府信息公开年报</td></tr>
<tr><td class="tit">发布机构：</td><td>{_e(posting.source)}</td><td class="tit">发文日期：</td><td>{date:%Y-%m-%d}</td></tr>
<tr><td class="tit">名　　称：</td><td colspan="3">{_e(doc.title)}</td></tr>
<tr><td class="tit">文　　号：</td><td></td><td class="tit">主 题 词：</td><td></td></tr>
</table>"""
    if layout.meta_block == "list":
        return f"""<div class="xxgk-info"><ul>
<li><b>索引号：</b>{_index_number(posting)}</li><li><b>发布机构：</b>{_e(posting.source)}</li>
<li><b>生成日期：</b>{date:%Y-%m-%d}</li><li><b>公开方式：</b>主动公开</li>
</ul></div>"""
    return ""


def _info_line(posting: Posting) -> str:
    rng = stable_rng(posting.url, "hits")
    return (
        f'<div class="info"><span>发布时间：{posting.posted:%Y-%m-%d %H:%M}</span>'
        f'<span>来源：{_e(posting.source)}</span><span>浏览次数：<em id="hits">{rng.randint(20, 3000)}</em></span>'
        '<span class="font">字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> '
        '<a href="javascript:;">小</a></span></div>'
    )


def body_html(posting: Posting) -> str:
    """The document's text as the CMS editor stores it: paragraphs, headings, tables, signature."""
    doc = posting.doc
    if doc.delivery != "html":
        name = f"{doc.title}.{posting.attachment_path.rsplit('.', 1)[1]}"
        return (
            f'<p style="text-indent:2em;">{_e(doc.title)}全文以附件形式发布，欢迎下载查阅。</p>\n'
            f'<p>附件：<a href="{_e(posting.attachment_path.rsplit("/", 1)[1])}" title="{_e(name)}">'
            f"{_e(name)}</a></p>"
        )
    parts = []
    for block in doc.blocks:
        if block.kind == "h":
            parts.append(f'<p style="text-indent:2em;"><strong>{_e(block.text)}</strong></p>')
        elif block.kind == "table":
            parts.append(
                '<div align="center">'
                + tables.render_table(block.text, doc.template, doc.cells, styled=True)
                + "</div>"
            )
        elif block.kind == "sign":
            parts.append(f'<p style="text-align:right;">{_e(block.text)}</p>')
        else:
            parts.append(f'<p style="text-indent:2em;">{_e(block.text)}</p>')
    return "\n".join(parts)


def article(
    posting: Posting, layout: ArticleLayout, column_url: str, neighbours: tuple[Posting | None, Posting | None]
) -> str:
    """The whole article page of one posting."""
    site, doc = posting.site, posting.doc
    closing = "</div>" * layout.container.count("<div")
    prev_next = []
    for label, other in zip(("上一篇", "下一篇"), neighbours):
        link = f'<a href="{_e(other.path)}">{_e(other.doc.title)}</a>' if other else "没有了"
        prev_next.append(f"<p>{label}：{link}</p>")
    meta = f"""<meta name="ColumnName" content="{_e(site.column_name)}">
<meta name="ArticleTitle" content="{_e(doc.title)}">
<meta name="PubDate" content="{posting.posted:%Y-%m-%d %H:%M}">
<meta name="ContentSource" content="{_e(posting.source)}">"""
    main = f"""<div class="content-box">
{crumb(site, column_url)}
{_meta_block(posting, layout)}
<div class="article">
<h1 class="article-title">{_e(doc.title)}</h1>
{_info_line(posting)}
{layout.container}
{body_html(posting)}
{closing}
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】
<span class="share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a></span></div>
<div class="prev-next">{"".join(prev_next)}</div>
</div>
</div>"""
    return page(site, f"{doc.title}_{site.column_name}_{site.name}", main, extra_meta=meta)


def list_page(site: SiteSpec, column_url: str, items: str, pager: str, extra_head: str = "") -> str:
    """A column page: breadcrumb, the list of postings, and whatever pagination the style uses."""
    main = f"""<div class="content-box">
{crumb(site, column_url)}
<div class="column-title"><h2>{_e(site.column_name)}</h2></div>
{items}
{pager}
</div>"""
    meta = f'<meta name="ColumnName" content="{_e(site.column_name)}">'
    return page(site, f"{site.column_name}_{site.name}", main, extra_meta=meta, extra_head=extra_head)


SECTION_PATH = "/zwgk/"  # the 政府信息公开 page between a site's home page and its report column


def home_page(site: SiteSpec, column_url: str) -> str:
    """The home page links the 政府信息公开 section, not the report column itself (as most real sites do)."""
    main = f"""<div class="content-box home">
<div class="block"><h3>政务公开</h3><ul>
<li><a href="{SECTION_PATH}">政府信息公开</a></li>
<li><a href="/zwgk/zfwj/">政府文件</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></div>
</div>"""
    return page(site, site.name, main)


def section_page(site: SiteSpec, column_url: str) -> str:
    """The 政府信息公开 section: its columns, the report column among look-alike names."""
    main = f"""<div class="content-box">
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="{SECTION_PATH}">政府信息公开</a></div>
<div class="xxgk-nav"><ul>
<li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li>
<li><a href="/zwgk/zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>
<li><a href="{_e(column_url)}">{_e(site.column_name)}</a></li>
<li><a href="/hdjl/ysqgk/">依申请公开</a></li></ul></div>
</div>"""
    return page(site, f"政府信息公开_{site.name}", main)


def short_title(title: str, limit: int = 24) -> str:
    """List pages cut long titles as real CMS templates do (the full one stays in title=)."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def date_of(when: dt.datetime) -> str:
    return f"{when:%Y-%m-%d}"


def paginate(postings: list, size: int) -> list[list]:
    """A column's postings cut into list pages (one empty page for an empty column)."""
    return [postings[i : i + size] for i in range(0, len(postings), size)] or [[]]


def static_pages(site: SiteSpec, postings: list, page_name, render) -> dict:
    """Routes of a column served as numbered static list pages (trs, ucap, generic).

    ``page_name(i)`` is the path of list page i under the column, ``render(i, chunk, chunks)``
    its (items, pager) HTML; the column's bare path answers as its first page.
    """
    chunks = paginate(postings, site.page_size)
    out = {}
    for i, chunk in enumerate(chunks):
        items, pager = render(i, chunk, chunks)
        resource = Resource(
            200, list_page(site, site.column + page_name(0), items, pager), last_modified=last_modified(chunk)
        )
        out[site.column + page_name(i)] = lambda query, r=resource: r
    out[site.column] = out[site.column + page_name(0)]
    return out


def static_listing_urls(site: SiteSpec, postings: list, page_name) -> list[tuple[str, str]]:
    """(kind, path) of every list page of a column that ``static_pages`` serves."""
    return [("list", site.column + page_name(i)) for i in range(len(paginate(postings, site.page_size)))]


def last_modified(postings) -> dt.datetime | None:
    """What a list page's Last-Modified says: its newest posting or edit."""
    return max((p.doc.modified or p.posted for p in postings), default=None)
