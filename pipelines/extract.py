"""Body text and page facts out of an article page.

Government CMSs put the document in a known container (TRS ``.TRS_Editor``, Hanweb
``#zoom``, gov.cn-style ``#UCAP-CONTENT``, ``#ivs_content``, …). Where one is found its text is
taken block by block, tables one row per line with cells joined by `` | ``, so nothing of the
navigation, 索引号 block, sidebar or footer can leak in. Where none is found trafilatura,
which is good at boilerplate on pages of unknown shape, takes the main text. Everything
else a page says about itself (``<meta name="ArticleTitle|PubDate|ContentSource|SiteName">``,
``<title>``, the heading, the 发布时间/来源 line) is collected as raw candidates for
``metadata``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

from .grid import Grid, html_grid

# Content containers of the CMS families, most specific first.
CONTENT_SELECTORS = (
    "#UCAP-CONTENT",
    ".TRS_Editor",
    "#zoom",
    "#ivs_content",
    ".Custom_UnionStyle",
    "#Zoom",
    ".pages_content",
    ".article_content",
    ".article-content",
    ".TRS_UEDITOR",
    "#content",
    ".content",
    ".article",
)
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "br",
    "tr",
    "table",
    "blockquote",
    "center",
    "dd",
    "dt",
    "dl",
    "pre",
    "tbody",
    "thead",
    "form",
}
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "select", "button", "input")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)$", re.I)


@dataclass
class Extracted:
    text: str
    container: str | None  # the selector that held the body, None when trafilatura took it
    meta: dict[str, str] = field(default_factory=dict)  # <meta name=…> by lower-case name
    html_title: str | None = None
    heading: str | None = None
    header_text: str = ""  # the page text before the body: 发布时间/来源 lines live there
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text) inside the body
    attachments: list[dict] = field(default_factory=list)  # {"url", "text"}: linked files anywhere on the page
    tables: list[Grid] = field(default_factory=list)  # the body's data tables, merged cells copied out


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text_lines(el) -> list[str]:
    """The element's text as lines: one per block, tables one row per line, cells ' | '."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = clean("".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "table":
            flush()
            for tr in node.iter("tr"):
                cells = [clean(td.text_content()) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                if any(cells):
                    lines.append(" | ".join(cells))
            if node.tail:
                current.append(node.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if node.text and tag:
            current.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            current.append(node.tail)

    walk(el)
    flush()
    return lines


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def strip_xml_declaration(text: str) -> str:
    """lxml refuses a str that declares an encoding (XHTML templates start with <?xml … encoding=…?>)."""
    return _XML_DECLARATION.sub("", text or "")


def parse(html_text: str):
    """An lxml document, or None for text that is not HTML at all."""
    html_text = strip_xml_declaration(html_text)
    if not html_text.strip():
        return None
    try:
        return lxml.html.document_fromstring(html_text)
    except (etree.ParserError, ValueError):
        return None


def _container(doc):
    for selector in CONTENT_SELECTORS:
        found = doc.cssselect(selector)
        found = [f for f in found if len(clean(f.text_content())) >= 20]
        if found:
            return selector, max(found, key=lambda f: len(f.text_content()))
    return None, None


def extract(html_text: str, url: str | None = None) -> Extracted:
    """Split a decoded article page into its body text and the raw facts around it."""
    doc = parse(html_text)
    if doc is None:
        return Extracted(text="", container=None)
    meta = {}
    for m in doc.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        if name and m.get("content") is not None and name not in meta:
            meta[name] = clean(m.get("content"))
    title_el = doc.find(".//title")
    html_title = clean(title_el.text_content()) if title_el is not None else None
    for bad in list(doc.iter(*_DROP)):
        if bad.getparent() is not None:
            bad.drop_tree()
    attachments = _attachments(doc, url)
    selector, body = _container(doc)
    if body is not None:
        # Where a container nests another (TRS_Editor > Custom_UnionStyle), the outer one is the body.
        lines = _text_lines(body)
        text = "\n".join(lines)
        links = [(a.get("href"), clean(a.text_content())) for a in body.iter("a") if a.get("href")]
        heading = _heading(doc, body)
        header_text = _text_before(doc, lines)
    else:
        text = (
            trafilatura.extract(html_text, url=url, include_tables=True, include_comments=False, favor_precision=True)
            or ""
        )
        text = _pipe_tables(text)
        links = []
        heading = _heading(doc, None)
        header_text = "\n".join(_text_lines(doc.body))[:3000] if doc.body is not None else ""
    return Extracted(
        text=text,
        container=selector,
        meta=meta,
        html_title=html_title,
        heading=heading,
        header_text=header_text,
        links=links,
        attachments=attachments,
        tables=data_tables(body if body is not None else doc),
    )


MAX_TABLES = 40


def data_tables(root) -> list[Grid]:
    """The tables under ``root`` that hold no other table (a layout table around a data table
    would read as one cell holding everything)."""
    return [html_grid(t) for t in root.iter("table") if not t.xpath(".//table")][:MAX_TABLES]


FILE_LINK = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|ofd)$", re.I)


def file_links(html_text: str, url: str | None) -> list[str]:
    """URLs of the documents a page links (not archives): what the spider downloads with the page."""
    doc = parse(html_text)
    if doc is None:
        return []
    return [
        a["url"]
        for a in _attachments(doc, url)
        if urlsplit(a["url"]).scheme in ("http", "https")
        and (FILE_LINK.search(urlsplit(a["url"]).path) or FILE_LINK.search(a["text"]))
    ]


def _attachments(doc, base_url: str | None) -> list[dict]:
    """Links to files (PDF, Word, Excel, WPS, OFD, archives), by the path's extension, once each."""
    out, seen = [], set()
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        path = urlsplit(href).path
        name = clean(a.text_content()) or clean(a.get("title") or "")
        # By the path's extension, or, for download.jsp?id=… links, by the file name in the link text.
        if not ATTACHMENT.search(path) and not (href and ATTACHMENT.search(name)):
            continue
        absolute = urljoin(base_url or "", href)
        if absolute in seen:
            continue
        seen.add(absolute)
        out.append({"url": absolute, "text": name})
    return out


def _heading(doc, body) -> str | None:
    for tag in ("h1", "h2"):
        for h in doc.iter(tag):
            if body is not None and body in h.iterancestors():
                continue
            text = clean(h.text_content())
            if len(text) >= 6:
                return text
    return None


def _text_before(doc, body_lines: list[str]) -> str:
    """The page's text that precedes the body container (title, 发布时间, 来源, 索引号 block)."""
    page_lines = _text_lines(doc.body) if doc.body is not None else []
    if body_lines and body_lines[0] in page_lines:
        page_lines = page_lines[: page_lines.index(body_lines[0])]
    return "\n".join(page_lines)[-3000:]


def _pipe_tables(text: str) -> str:
    """trafilatura writes table rows as '| a | b | '; make them 'a | b' like ours."""
    out = []
    for line in text.splitlines():
        if line.startswith("| ") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            line = " | ".join(cells)
        out.append(line)
    return "\n".join(out)
