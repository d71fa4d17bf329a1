"""What went wrong with a request, as one ``crawl_errors.kind``, and the guards that end hostile cases early.

Every failure the spider's errback sees is named here (``failure_kind``): an HTTP status
(``http_404``, ``http_410``, ``blocked`` for the 412 anti-bot challenge), a network fault
(``timeout``, ``dns``, ``refused``, ``connection_lost``, ``truncated``), a cap (``too_large``,
``redirect_loop``), a rule (``robots``, ``private_address``). A 200 answer whose body is
empty or binary is no page (``body_problem``). The downloader middlewares below stop a
redirect cycle (Scrapy's duplicate filter would drop it without a word) and stop asking a
site that keeps answering with anti-bot challenges: we never try to solve them.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.python import binary_is_text
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares import PrivateAddressRefused, refused_at_connect

BLOCKED_STATUSES = (412,)  # the JavaScript challenge of anti-bot appliances (瑞数 and the like)


def stop_crawl(crawler, reason: str) -> None:
    """Close the spider from a synchronous component (a pipeline, a signal handler)."""
    from scrapy.utils.defer import deferred_from_coro

    engine = crawler.engine
    if engine is not None and engine.running and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason))


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL of its own chain."""


class SiteBlocked(IgnoreRequest):
    """The site answered with anti-bot challenges too often: its other requests are not sent."""


class RetryGivenUp(IgnoreRequest):
    """A retryable answer we do not wait for (``Retry-After`` longer than we are willing to wait)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def failure_kind(failure) -> tuple[str, str]:
    """``(kind, message)`` of a failed request, for ``crawl_errors``."""
    value = failure.value
    if failure.check(HttpError):
        status = value.response.status
        if status in BLOCKED_STATUSES:
            return "blocked", f"HTTP {status}: an anti-bot challenge page (not retried, not solved)"
        return f"http_{status}", f"HTTP {status}"
    if failure.check(RetryGivenUp):
        return f"http_{value.status}", str(value)
    if failure.check(PrivateAddressRefused):
        return "private_address", str(value)
    if failure.check(SiteBlocked):
        return "blocked", str(value)
    if failure.check(RedirectLoop):
        return "redirect_loop", str(value)
    if failure.check(IgnoreRequest):
        text = str(value)
        if "robots.txt" in text:
            return "robots", "forbidden by the site's robots.txt (the registry may override it per site, with a reason)"
        if "max redirections" in text:
            return "redirect_loop", "more redirects than REDIRECT_MAX_TIMES"
        if "DOWNLOAD_MAXSIZE" in text:  # HttpCompressionMiddleware: the decompressed body is too large
            return "too_large", text[:500]
        return "ignored", text[:500]
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return "timeout", "no complete answer within the download timeout (DOWNLOAD_TIMEOUT)"
    if failure.check(DownloadCancelledError):
        return "too_large", "the body is larger than DOWNLOAD_MAXSIZE: download cancelled"
    if failure.check(CannotResolveHostError, DNSLookupError):
        request = getattr(failure, "request", None)
        refused = refused_at_connect.get((urlsplit(request.url).hostname or "").lower()) if request else None
        if refused:  # resolved to a private address as the connection was made (the guard's resolver)
            return "private_address", refused
        return "dns", "host name did not resolve"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "refused", "connection refused"
    if failure.check(ResponseDataLossError):
        return "truncated", "the connection closed before the whole body arrived (Content-Length not reached)"
    if failure.check(ResponseFailed, ResponseNeverReceived, ConnectionLost, ConnectionDone):
        return "connection_lost", f"the connection was lost: {value}"[:500]
    return failure.type.__name__, str(value)[:500]


# File signatures of what government sites serve by mistake as pages: attachments and images.
SIGNATURES = {
    b"%PDF-": "a PDF file",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
}


def body_problem(body: bytes) -> tuple[str, str] | None:
    """A 200 that is no page: nothing at all, or binary bytes (served as text/html or not)."""
    if not body.strip():
        return "empty", f"HTTP 200 with {'no body' if not body else 'only white space'}"
    head = body[:4096]
    what = next((name for magic, name in SIGNATURES.items() if head.startswith(magic)), None)
    if (
        what is None
        and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
        and (b"\x00" in head or not binary_is_text(head))
    ):  # Scrapy's test: control characters other than white space
        what = "binary data"
    if what:
        return "binary", f"the body is {what}, not a text page (whatever its Content-Type says)"
    return None


class RedirectLoopGuard:
    """Before Scrapy's RedirectMiddleware (so at a higher number): a Location already in the chain is a loop."""

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = urljoin(request.url, location.decode("latin-1"))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in chain:
                raise RedirectLoop(
                    f"redirect loop: {request.url} sends back to {target} after {len(chain) - 1} redirects"
                )
        return response


class AntiBotGuard:
    """Counts challenge answers per site; after ``NIANBAO_BLOCKED_LIMIT`` the site's other requests are dropped,
    each recorded as ``blocked``, so a site that refuses us is not asked again and again in one night."""

    def __init__(self, limit: int):
        self.limit = limit
        self.challenges: Counter = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("NIANBAO_BLOCKED_LIMIT"))

    def process_request(self, request, spider=None):
        site = request.meta.get("site_id")
        if site and self.limit and self.challenges[site] >= self.limit:
            raise SiteBlocked(f"not sent: the site answered {self.challenges[site]} anti-bot challenges this crawl")
        return None

    def process_response(self, request, response, spider=None):
        if response.status in BLOCKED_STATUSES and request.meta.get("site_id"):
            self.challenges[request.meta["site_id"]] += 1
        return response
