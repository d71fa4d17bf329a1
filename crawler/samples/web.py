"""The sample web as HTTP: what each URL answers, with the headers real government servers send.

``SampleWeb.respond`` is a pure function of the request (method, URL, headers, body) so it
tests without sockets; ``server`` puts it behind an HTTP proxy. It answers robots.txt, the
home page, list pages and their JSON/XML endpoints, articles, 301s for moved columns, 404s
for dead links and deleted reports; with Last-Modified, ETag (and 304 to conditional
requests), gzip when asked, and each site's own charset — declared wrongly where the site
declares it wrongly.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import html
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from . import files, pages
from .model import Posting, Resource, SiteSpec, World
from .styles import STYLES

CHINA = dt.timezone(dt.timedelta(hours=8))
SERVERS = {"trs": "TRS Web Server", "hanweb": "Apache-Coyote/1.1", "jsapi": "nginx", "generic": "Microsoft-IIS/8.5"}
ROBOTS = "User-agent: *\nDisallow: /search/\nDisallow: /uc/\nCrawl-delay: 1\n"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class _Host:
    site: SiteSpec
    routes: dict = field(default_factory=dict)
    articles: dict[str, Posting] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    files: dict[str, Posting] = field(default_factory=dict)  # attachment path -> the posting linking it


class SampleWeb:
    """Answers requests for every host of one ``World``."""

    def __init__(self, world: World):
        self.world = world
        self._sites = {s.host: s for s in world.sites}
        self._hosts: dict[str, _Host] = {}
        self._article = lru_cache(maxsize=2048)(self._render_article)

    @property
    def hosts(self) -> list[str]:
        return sorted(self._sites)

    def _host(self, host: str) -> _Host | None:
        if host in self._hosts:
            return self._hosts[host]
        site = self._sites.get(host)
        if site is None:
            return None
        style = STYLES[site.platform]
        postings = self.world.postings[site.site_id]
        entry = _Host(site, routes=style.routes(site, postings))
        for p in postings:
            if not p.dead:
                entry.articles[p.path] = p
                if p.attachment_path:
                    entry.files[p.attachment_path] = p
        entry.gone = {p.path for p in self.world.gone if p.site.site_id == site.site_id}
        entry.gone |= {p.path for p in postings if p.dead}
        self._hosts[host] = entry
        return entry

    def resource(self, host: str, path: str, query: dict[str, list[str]]) -> Resource | None:
        """The resource at a URL, or None when the host is not a sample site."""
        entry = self._host(host)
        if entry is None:
            return None
        site = entry.site
        style = STYLES[site.platform]
        if path == "/robots.txt":
            return Resource(200, ROBOTS, "text/plain")
        if path in ("/", "/index.html"):
            return Resource(200, pages.home_page(site, style.column_path(site)))
        if path == pages.SECTION_PATH and path not in entry.routes:
            return Resource(200, pages.section_page(site, style.column_path(site)))
        if site.moved_from and path.startswith(site.moved_from):
            return Resource(301, location=site.base + style.column_path(site))
        if path in entry.routes:
            return entry.routes[path](query)
        if path in entry.articles:
            return self._article(host, path)
        if path in entry.files:
            return _attachment(entry.files[path])
        return Resource(404, _not_found(site))

    def _render_article(self, host: str, path: str) -> Resource:
        entry = self._hosts[host]
        posting = entry.articles[path]
        style = STYLES[entry.site.platform]
        live = [p for p in self.world.postings[entry.site.site_id] if not p.dead]
        i = live.index(posting)
        neighbours = (live[i - 1] if i > 0 else None, live[i + 1] if i + 1 < len(live) else None)
        text = pages.article(posting, style.LAYOUT, style.column_path(entry.site), neighbours)
        return Resource(200, text, last_modified=posting.doc.modified or posting.posted)

    def respond(self, method: str, url: str, headers: dict[str, str] | None = None, body: bytes = b"") -> Response:
        """Answer one HTTP request for an absolute URL, as the site's server would."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        query = parse_qs(parts.query, keep_blank_values=True)
        if method == "POST" and "x-www-form-urlencoded" in headers.get("content-type", ""):
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                query.setdefault(k, []).extend(v)
        resource = self.resource(host, parts.path or "/", query)
        if resource is None:
            return _finish(
                method,
                Response(
                    502,
                    [("Content-Type", "text/plain; charset=utf-8")],
                    f"nianbao samples: {host!r} is not a sample site\n".encode(),
                ),
                headers,
            )
        site = self._sites[host]
        out = [("Server", SERVERS.get(site.platform, "nginx")), ("Date", email.utils.formatdate(usegmt=True))]
        if resource.location:
            out.append(("Location", resource.location))
            return _finish(
                method,
                Response(
                    resource.status,
                    out + [("Content-Type", "text/html")],
                    b"<html><body>Moved Permanently</body></html>",
                ),
                headers,
            )
        encoding = site.encoding if resource.media_type == "text/html" else "utf-8"
        payload = resource.data if resource.data is not None else resource.text.encode(encoding)
        content_type = resource.media_type
        if resource.data is not None:
            pass  # a file: its media type alone
        elif resource.media_type != "text/html":
            content_type += ";charset=UTF-8"
        elif site.header_charset:
            content_type += f"; charset={site.header_charset}"
        out.append(("Content-Type", content_type))
        if resource.status == 200:
            etag = '"' + hashlib.sha1(payload).hexdigest()[:16] + '"'
            out.append(("ETag", etag))
            if resource.last_modified:
                out.append(("Last-Modified", _http_date(resource.last_modified)))
            out.append(("Cache-Control", "max-age=600"))
            if _not_modified(headers, etag, resource.last_modified):
                return Response(304, [h for h in out if h[0] != "Content-Type"])
        response = Response(resource.status, out, payload)
        return _finish(method, response, headers)


def _attachment(posting: Posting) -> Resource:
    doc = posting.doc
    if doc.delivery == "docx":
        return Resource(200, media_type=files.DOCX, data=files.docx_bytes(doc), last_modified=posting.posted)
    return Resource(
        200, media_type=files.PDF, data=files.pdf_bytes(doc, doc.delivery == "scan"), last_modified=posting.posted
    )


def _finish(method: str, response: Response, request_headers: dict[str, str]) -> Response:
    body = response.body
    if body and "gzip" in request_headers.get("accept-encoding", "") and len(body) > 256:
        body = gzip.compress(body, mtime=0)
        response.headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
    response.headers.append(("Content-Length", str(len(body))))
    response.body = b"" if method == "HEAD" else body
    return response


def _http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.replace(tzinfo=CHINA).astimezone(dt.UTC), usegmt=True)


def _not_modified(headers: dict[str, str], etag: str, last_modified: dt.datetime | None) -> bool:
    if "if-none-match" in headers:
        return (
            etag in [t.strip() for t in headers["if-none-match"].split(",")] or headers["if-none-match"].strip() == "*"
        )
    if "if-modified-since" in headers and last_modified is not None:
        try:
            since = email.utils.parsedate_to_datetime(headers["if-modified-since"])
        except (TypeError, ValueError):
            return False
        return last_modified.replace(tzinfo=CHINA) <= since
    return False


def _not_found(site: SiteSpec) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{site.meta_charset or "utf-8"}"><title>404</title></head>'
        f'<body><h1>您访问的页面不存在或已被删除</h1><p><a href="/">返回{html.escape(site.name)}首页</a></p>'
        "</body></html>"
    )
