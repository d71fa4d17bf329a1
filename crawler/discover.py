"""Finding a site's annual-report column, and its platform, the way a person would.

From a home page or a 信息公开 page: score every link by its text (政府信息公开工作年度报告,
政府信息公开年报, 年度报告, …) and URL, take the best column link, or, when the page has none,
the best 政府信息公开/政务公开 section link and look again there (at most ``max_hops`` pages
away). Scoring and fingerprinting are pure functions of a page; ``discover`` takes a
``fetch`` function, so it runs on the sample web without sockets and on the real web
through ``crawler.probe``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crawler import adapters
from crawler.adapters.base import fragment, text_of

# Link texts of a report column, best first (scores add up to at most 100 with the URL hints).
_COLUMN_TEXTS = (
    (re.compile(r"政府信息公开工作年度报告"), 90),
    (re.compile(r"政府信息公开(年度报告|年报)"), 85),
    (re.compile(r"信息公开(工作)?(年度报告|年报)"), 80),
    (re.compile(r"政务公开(工作)?(年度报告|年报)"), 70),
    (re.compile(r"工作年度报告|年度工作报告"), 60),
    (re.compile(r"^(年度报告|年报)(专栏)?$"), 60),
    (re.compile(r"年度报告|年报"), 40),
)
# Link texts of a section that holds the column.
_SECTION_TEXTS = (
    (re.compile(r"^政府信息公开(平台|专栏|目录)?$"), 50),
    (re.compile(r"法定主动公开|主动公开目录|信息公开目录"), 45),
    (re.compile(r"^信息公开$|^政务公开$|政府信息公开"), 40),
    (re.compile(r"信息公开|政务公开"), 25),
)
# Texts that look alike but name other columns: the 指南, rules, requests, the website report (报表).
_NOT_COLUMN = re.compile(r"指南|制度|规定|依申请|申请|网站|报表|要点|意见|通知|年鉴|统计|财政|预算|决算")
_DATED = re.compile(r"(?:19|20)\d{2}\s*年")  # "2021年度…报告" is an article, not a column
_URL_HINTS = (re.compile(r"(?:^|[/_-])(zfxxgkn?b|xxgknb|gknb|ndbg|zfxxgkndbg|nb|ndbb)(?:[/_.-]|$)", re.I), 10)
_SECTION_URL = (re.compile(r"(?:^|/)(zfxxgk|xxgk|zwgk|gkml|gkmlpt)(?:/|$)", re.I), 5)

# What each platform leaves on its pages: (name, pattern). ``adapters.detect`` decides the
# adapter of a list page; these name the family of any page, home pages included.
FINGERPRINTS = (
    ("trs", re.compile(r"createPageHTML|TRS_Editor|TRS_UEDITOR|trs(wcm|was)|\.trsapi", re.I)),
    ("hanweb", re.compile(r"<datastore>|/module/web/jpage/|/col/col\d+/|hanweb|jcms", re.I)),
    ("gkmlpt", re.compile(r"/gkmlpt/")),
    ("ucap", re.compile(r"UCAP-CONTENT|ucapcontent|/ucap/|ucapCms", re.I)),
    ("easysite", re.compile(r"easysite|queryArticleByCondition")),
    ("jsapi", re.compile(r"[\"']api[\"']\s*:\s*[\"'][^\"']+[\"']")),
)
_SERVER_HINTS = (("trs", re.compile(r"TRS", re.I)),)


@dataclass(frozen=True)
class Candidate:
    url: str
    text: str
    kind: str  # "column" | "section"
    score: int


@dataclass
class Discovery:
    start: str
    column: str | None = None
    column_text: str | None = None
    score: int = 0
    platform: str | None = None  # the adapter that reads the column page
    fingerprints: dict[str, list[str]] = field(default_factory=dict)  # family -> URLs of pages showing it
    visited: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "column": self.column,
            "column_text": self.column_text,
            "score": self.score,
            "platform": self.platform,
            "fingerprints": self.fingerprints,
            "visited": self.visited,
            "candidates": [c.__dict__ for c in self.candidates[:8]],
            "error": self.error,
        }


def score_link(text: str, href: str) -> tuple[str, int] | None:
    """("column", score) for a link to a report column, ("section", score) for a 信息公开 section, else None."""
    text = re.sub(r"\s+", "", text or "")
    if not text or len(text) > 40:
        return None
    path = urlsplit(href).path
    for pattern, score in _COLUMN_TEXTS:
        if pattern.search(text):
            if _DATED.search(text) or _NOT_COLUMN.search(text):
                return None
            return "column", score + (_URL_HINTS[1] if _URL_HINTS[0].search(path) else 0)
    for pattern, score in _SECTION_TEXTS:
        if pattern.search(text):
            if _NOT_COLUMN.search(text):
                return None
            return "section", score + (_SECTION_URL[1] if _SECTION_URL[0].search(path) else 0)
    return None


def _site_domain(host: str) -> str:
    """The part of a host its sister hosts share: www.dingxi.gov.cn and zwgk.dingxi.gov.cn."""
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def candidates(url: str, text: str) -> list[Candidate]:
    """The column and section links of a page, best first; links to other sites are left out."""
    tree = fragment(text)
    if tree is None:
        return []
    domain = _site_domain(urlsplit(url).hostname or "")
    best: dict[str, Candidate] = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        target = urljoin(url, href)  # a fragment may name the column (gkmlpt's /gkmlpt/index#CAT)
        if target.split("#", 1)[1:] == [""] or not target.split("#", 1)[-1].isdigit():
            target = target.split("#", 1)[0]
        host = (urlsplit(target).hostname or "").lower()
        if urlsplit(target).scheme not in ("http", "https") or not (host == domain or host.endswith("." + domain)):
            continue
        label = (a.get("title") or "").strip() if len(text_of(a)) < 2 else text_of(a)
        scored = score_link(label, target)
        if scored is None or target.rstrip("/") == url.rstrip("/"):
            continue
        kind, score = scored
        if target not in best or best[target].score < score:
            best[target] = Candidate(target, label, kind, score)
    return sorted(best.values(), key=lambda c: (c.kind != "column", -c.score, c.url))


def fingerprint(text: str, headers: dict[str, str] | None = None) -> list[str]:
    """The platform families a page shows signs of (its markup, and the Server header)."""
    found = [name for name, pattern in FINGERPRINTS if pattern.search(text)]
    server = (headers or {}).get("server", "")
    found += [name for name, pattern in _SERVER_HINTS if pattern.search(server) and name not in found]
    return found


def list_platform(url: str, text: str) -> str:
    """The adapter that would read this page as a list (``generic`` when no family matches)."""
    return adapters.detect(url, text).NAME


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


class FetchFailed(Exception):
    """A page could not be had: ``status`` names why (dns, timeout, http_404, blocked_412, …)."""

    def __init__(self, status: str, message: str = ""):
        super().__init__(message or status)
        self.status = status


def looks_like_column(url: str, text: str) -> bool:
    """A page that already is a report column: several dated report titles among its links."""
    titles = re.findall(r">([^<>]{0,40}(?:19|20)\d{2}\s*年[^<>]{0,30}(?:年度报告|年报)[^<>]{0,10})<", text)
    return len(titles) >= 2


def discover(start: str, fetch: Callable[[str], Page], max_hops: int = 2, min_score: int = 40) -> Discovery:
    """The annual-report column reachable from ``start`` within ``max_hops`` links, and its platform."""
    found = Discovery(start)
    frontier = [start]
    seen: set[str] = set()
    for hop in range(max_hops + 1):
        sections: list[Candidate] = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            try:
                page = fetch(url)
            except FetchFailed as e:
                if url == start:
                    found.error = f"{e.status}: {e}"
                    return found
                continue
            found.visited.append(page.url)
            for family in fingerprint(page.text, page.headers):
                found.fingerprints.setdefault(family, []).append(page.url)
            if hop == 0 and looks_like_column(page.url, page.text):
                found.column, found.score, found.platform = page.url, 100, list_platform(page.url, page.text)
                return found
            links = candidates(page.url, page.text)
            found.candidates += links
            for cand in (c for c in links if c.kind == "column" and c.score >= min_score):
                try:
                    column = fetch(cand.url)
                except FetchFailed:
                    continue
                found.visited.append(column.url)
                for family in fingerprint(column.text, column.headers):
                    found.fingerprints.setdefault(family, []).append(column.url)
                same = column.url.split("#", 1)[0] == cand.url.split("#", 1)[0]  # not redirected
                found.column, found.column_text, found.score = cand.url if same else column.url, cand.text, cand.score
                found.platform = list_platform(column.url, column.text)
                return found
            sections += [c for c in links if c.kind == "section"]
        sections.sort(key=lambda c: -c.score)
        frontier = [c.url for c in sections[:2]]
        if not frontier:
            break
    found.candidates.sort(key=lambda c: (c.kind != "column", -c.score))
    return found
