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

from .grid import MAX_CELLS, MAX_TABLE_CELLS, Grid, TooManyCells, html_grid

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
    lost: str | None = None  # what the HTML parser could not read (it stopped early), None when all was read


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class _Enough(Exception):
    """Raised inside ``_text_lines`` once it reached what it was asked to read up to."""


def _text_lines(el, stop=None, max_chars: int | None = None) -> list[str]:
    """The element's text as lines: one per block, tables one row per line, cells ' | '.

    ``stop``: an element at which to stop (the lines before it); ``max_chars``: stop once this many
    characters are read (a 10 MB table need not be walked whole for the page's first 3,000)."""
    lines: list[str] = []
    current: list[str] = []
    read = 0

    def add(line: str) -> None:
        nonlocal read
        lines.append(line)
        read += len(line)
        if max_chars is not None and read >= max_chars:
            raise _Enough

    def flush() -> None:
        line = clean("".join(current))
        current.clear()
        if line:
            add(line)

    def walk(node) -> None:
        if node is stop:
            flush()
            raise _Enough
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "table":
            flush()
            for tr in node.iter("tr"):
                cells = [clean(td.text_content()) for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
                if any(cells):
                    add(" | ".join(cells))
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

    try:
        walk(el)
        flush()
    except _Enough:
        pass
    return lines


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def strip_xml_declaration(text: str) -> str:
    """lxml refuses a str that declares an encoding (XHTML templates start with <?xml … encoding=…?>)."""
    return _XML_DECLARATION.sub("", text or "")


# Inline tags that Word-exported pages open per paragraph and never close (``<p><font>…<p><font>…``):
# libxml2 nests every later paragraph inside them and stops at depth 256, dropping the rest of the
# page. Removing them keeps every character of text (they make no line of their own) and lets the
# paragraphs close each other. ``<a>`` stays: links are what attachments are found by.
_INLINE_TAG = re.compile(
    r"</?(?:font|span|b|strong|i|em|u|s|strike|small|big|sup|sub|ins|del|tt|nobr|o:p|st1:[\w-]+)\b[^>]*>", re.I
)
MAX_DEPTH = 255  # libxml2's nesting limit without XML_PARSE_HUGE; kept: _text_lines walks the tree recursively


@dataclass
class Parsed:
    """A parsed page, the markup it was parsed from, and what the parser could not read."""

    doc: object | None
    html_text: str
    lost: str | None = None
    repaired: bool = False  # parsed only after removing runaway inline tags or lifting the size limit
    huge: bool = False  # parsed with huge_tree


def out_of_memory(failed) -> bool:
    """Whether libxml2 ran out of memory (under a worker's memory limit), from a parser or an lxml
    error: it says so only in its error log (ERR_NO_MEMORY), raising "unknown error" or nothing."""
    return any(e.type_name == "ERR_NO_MEMORY" for e in getattr(failed, "error_log", ()))


def _parse_once(html_text: str, huge: bool) -> tuple[object | None, str | None]:
    """(document, the limit the parser stopped at: "depth", "size" or None)."""
    parser = lxml.html.HTMLParser(huge_tree=huge)
    try:
        doc = lxml.html.document_fromstring(html_text, parser=parser)
    except (etree.ParserError, ValueError):
        doc = None
    except etree.XMLSyntaxError as e:
        if out_of_memory(e):
            raise MemoryError("the HTML parser ran out of memory") from e
        raise
    if out_of_memory(parser):
        raise MemoryError("the HTML parser ran out of memory")
    stopped = None
    for error in parser.error_log:
        if "Excessive depth" in error.message:
            stopped = "depth"
        elif "XML_PARSE_HUGE" in error.message or "Resource limit" in error.message:
            stopped = stopped or "size"
    return doc, stopped


def parse_page(html_text: str) -> Parsed:
    """The page parsed whole, or said to be cut: libxml2 stops silently at nesting depth 256 and at a
    text node or attribute over 10 MB, and what follows is lost without an exception.

    Depth: the runaway inline tags are removed and the page parsed again (a page still too deep after
    that keeps what was read and says so). Size: parsed again with ``huge_tree``, which lifts the
    10 MB limit: the page's bytes are already capped by the download's size limit, so the tree
    stays in proportion to it (HTML has no entities to expand)."""
    html_text = original = strip_xml_declaration(html_text)
    if not html_text.strip():
        return Parsed(None, html_text)
    doc, stopped = _parse_once(html_text, huge=False)
    huge = stopped == "size"
    if huge:
        doc, stopped = _parse_once(html_text, huge=True)
    if stopped == "depth":
        flat = _INLINE_TAG.sub("", html_text)
        flat_doc, flat_stopped = _parse_once(flat, huge=huge)
        if flat_doc is not None:
            html_text, doc, stopped = flat, flat_doc, flat_stopped
    lost = {
        "depth": f"the markup nests deeper than {MAX_DEPTH} elements (tags left open): the parser stopped there "
        "and the rest of the page was not read",
        "size": "the parser stopped at its size limit: the rest of the page was not read",
    }.get(stopped)
    return Parsed(doc, html_text, lost, repaired=huge or html_text is not original, huge=huge)


def parse(html_text: str):
    """An lxml document, or None for text that is not HTML at all."""
    return parse_page(html_text).doc


def _container(doc):
    for selector in CONTENT_SELECTORS:
        found = doc.cssselect(selector)
        found = [f for f in found if len(clean(f.text_content())) >= 20]
        if found:
            return selector, max(found, key=lambda f: len(f.text_content()))
    return None, None


def extract(html_text: str, url: str | None = None) -> Extracted:
    """Split a decoded article page into its body text and the raw facts around it."""
    parsed = parse_page(html_text)
    doc = parsed.doc
    if doc is None:
        return Extracted(text="", container=None, lost=parsed.lost)
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
        header_text = _text_before(doc, body, lines)
    else:
        # trafilatura parses the markup again, with libxml2's limits: a page read only once repaired goes
        # to it repaired, and parsed already when it needs huge_tree.
        source = html_text
        if parsed.repaired:
            source = _parse_once(parsed.html_text, huge=True)[0] if parsed.huge else parsed.html_text
        text = (
            trafilatura.extract(source, url=url, include_tables=True, include_comments=False, favor_precision=True)
            or ""
        )
        text = _pipe_tables(text)
        links = []
        heading = _heading(doc, None)
        header_text = "\n".join(_text_lines(doc.body, max_chars=3000))[:3000] if doc.body is not None else ""
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
        lost=parsed.lost,
    )


MAX_TABLES = 40


def data_tables(root) -> list[Grid]:
    """The tables under ``root`` that hold no other table (a layout table around a data table
    would read as one cell holding everything), up to ``grid.MAX_CELLS`` positions in all: a table
    past the limits is left out of the grids, its text is in the page's text all the same."""
    grids, budget = [], MAX_CELLS
    for t in root.iter("table"):
        if len(grids) == MAX_TABLES or budget <= 0:
            break
        if t.xpath(".//table"):
            continue
        try:
            g = html_grid(t, min(MAX_TABLE_CELLS, budget))
        except TooManyCells:
            continue
        budget -= sum(len(row) for row in g)
        grids.append(g)
    return grids


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


def _text_before(doc, body, body_lines: list[str]) -> str:
    """The page's text that precedes the body container (title, 发布时间, 来源, 索引号 block): read up to
    the container only, and cut earlier where the body's first line already appeared."""
    page_lines = _text_lines(doc.body, stop=body) if doc.body is not None else []
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
