"""What a platform adapter gives the spider: the article links of a list page and what to fetch next.

Adapters are pure: ``parse(url, text, request_body)`` turns one decoded list response (HTML,
XML or JSON) into a ``Listing``, so each is tested on saved pages without a crawl. The
spider turns ``Follow`` entries into requests and passes each link's text and date along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from pipelines.dates import find_dates
from pipelines.extract import strip_xml_declaration

_SPACE = re.compile(r"\s+")
MAX_FOLLOW = 2000  # list pages one response may announce; a page claiming more is a trap or a typo
_SHORT_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


@dataclass(frozen=True)
class Link:
    url: str
    title: str
    date: str | None = None  # as the list printed it, normalised to YYYY-MM-DD where readable


@dataclass(frozen=True)
class Follow:
    """Another list response to fetch: a page of the column or an endpoint request."""

    url: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Listing:
    links: list[Link] = field(default_factory=list)
    follow: list[Follow] = field(default_factory=list)


def fragment(html_text: str):
    """An lxml tree of a page or fragment, or None when there is nothing to parse."""
    html_text = strip_xml_declaration(html_text)
    if not html_text.strip():
        return None
    try:
        return lxml.html.fromstring(html_text)
    except (etree.ParserError, ValueError):
        return None


def column_dir(url: str) -> str:
    """The directory of a list page's URL: its articles live below it on TRS-like sites."""
    return url.split("?", 1)[0].rsplit("/", 1)[0] + "/"


def text_of(el) -> str:
    return _SPACE.sub(" ", el.text_content()).strip()


def date_near(anchor) -> str | None:
    """The date printed beside a list link: in its row (li/tr/dd/p), else in the next sibling."""
    node = anchor
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        text = text_of(node)
        if node.tag in ("li", "tr", "dd", "p") or (node.tag in ("div", "dl", "span", "td") and len(text) < 160):
            dates = find_dates(text)
            if dates:
                return dates[0].isoformat()
        if node.tag in ("li", "tr", "dd", "p"):
            break
    return None


def anchors(
    tree,
    base_url: str,
    href_pattern: re.Pattern | None = None,
    text_pattern: re.Pattern | None = None,
    need_date: bool = False,
    under: str | None = None,
) -> list[Link]:
    """The links of a list (title from ``title=`` where the text is cut short), filtered.

    ``under``: keep only URLs below this prefix (a column's own directory), which drops the
    sidebar and navigation links that share the article URL pattern.
    """
    out: list[Link] = []
    seen: set[str] = set()
    if tree is None:
        return out
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        if href_pattern and not href_pattern.search(href):
            continue
        text = text_of(a)
        title = (a.get("title") or "").strip() or text
        if text_pattern and not (text_pattern.search(title) or text_pattern.search(text)):
            continue
        date = date_near(a)
        if need_date and not date:
            continue
        url = urljoin(base_url, href)
        if under and not url.startswith(under):
            continue
        if url in seen:
            continue
        seen.add(url)
        out.append(Link(url, title, date))
    return out
