"""Probing registry sites: can they be reached from here, on which platform, where is their column.

``nianbao sites check`` uses this outside Scrapy: a probe is one to three GETs per site, so a
thread pool over httpx (already installed with Datasette; it speaks HTTP proxies and has
per-request timeouts) is simpler than a crawl, and stays polite: one request at a time per
host with a pause between them, a short timeout, the crawler's User-Agent, the same
private-address guard as the crawl (``crawler.middlewares.private_reason``), checked again on
every redirect. Each row gets ``status`` (ok, http_NNN, blocked_412, dns, timeout, connect,
tls, proxy, private_address, no_website), ``checked_at``, ``verified``, the detected ``platform``
and, where discovery found it, the report column in ``start_urls``. Rows are never dropped.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import httpx

from crawler import discover
from crawler.middlewares import private_reason
from crawler.settings import USER_AGENT
from pipelines.encoding import decode

MAX_REDIRECTS = 5
MAX_BYTES = 8 * 1024 * 1024  # a home or column page; anything bigger is not one
PROBE_COLUMNS = ("start_urls", "website", "verified", "status", "detected_platform", "checked_at", "note")


class Fetcher:
    """GET with the crawl's manners; raises ``discover.FetchFailed`` with a status name."""

    def __init__(
        self,
        proxy: str | None = None,
        timeout: float = 10.0,
        allow_private: bool = False,
        pause: float = 1.0,
        user_agent: str = USER_AGENT,
    ):
        self.client = httpx.Client(
            proxy=proxy,
            timeout=timeout,
            follow_redirects=False,
            trust_env=proxy is None,
            headers={"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
        )
        self.allow_private = allow_private
        self.proxy = proxy
        self.pause = pause
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def _polite(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def __call__(self, url: str) -> discover.Page:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise discover.FetchFailed("bad_url", f"{url} is not an http(s) URL")
            reason = None if self.allow_private else private_reason(parts.hostname)
            if reason:
                raise discover.FetchFailed("private_address", f"refused {url}: {reason}")
            with self._polite(parts.hostname):
                wait = self._last.get(parts.hostname, 0) + self.pause - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    response, body = self._get(url)
                finally:
                    self._last[parts.hostname] = time.monotonic()
            if response.is_redirect and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code == 412:
                raise discover.FetchFailed("blocked_412", f"{url}: 412, a bot challenge (JavaScript cookie check)")
            if response.status_code >= 400:
                raise discover.FetchFailed(f"http_{response.status_code}", f"{url}: HTTP {response.status_code}")
            text = decode(body, headers.get("content-type")).text
            return discover.Page(str(response.url), response.status_code, text, headers)
        raise discover.FetchFailed("redirect_loop", f"more than {MAX_REDIRECTS} redirects from {url}")

    def _get(self, url: str) -> tuple[httpx.Response, bytes]:
        """The response (headers, status) and its body, read no further than MAX_BYTES."""
        try:
            with self.client.stream("GET", url) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise discover.FetchFailed("too_large", f"{url}: more than {MAX_BYTES} bytes")
                return response, b"".join(chunks)
        except httpx.TimeoutException as e:
            raise discover.FetchFailed("timeout", f"{url}: {type(e).__name__}") from None
        except httpx.ProxyError as e:
            raise discover.FetchFailed("proxy", f"{url}: {e}") from None
        except httpx.ConnectError as e:
            message = str(e)
            if self.proxy:  # every connection goes to the proxy: it is the one that failed
                raise discover.FetchFailed("proxy", f"{url}: cannot reach the proxy {self.proxy}: {message}") from None
            if any(
                s in message
                for s in ("Name or service not known", "nodename", "getaddrinfo", "resolve", "No address associated")
            ):
                raise discover.FetchFailed("dns", f"{url}: {message}") from None
            if "SSL" in message or "CERTIFICATE" in message:
                raise discover.FetchFailed("tls", f"{url}: {message}") from None
            raise discover.FetchFailed("connect", f"{url}: {message}") from None
        except httpx.HTTPError as e:
            raise discover.FetchFailed("connect", f"{url}: {type(e).__name__}: {e}") from None


def check_row(row: dict, fetch, max_hops: int = 2) -> dict:
    """The row with what a probe found; a row with neither start URL nor website is not probed."""
    row = dict(row)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    start_urls = (row.get("start_urls") or "").split()
    website = (row.get("website") or "").strip()
    if not start_urls and not website:
        row.update(status="no_website", note=row.get("note") or "website not known")
        return row
    row["checked_at"] = now
    if start_urls:
        try:
            page = fetch(start_urls[0])
        except discover.FetchFailed as e:
            row.update(status=e.status, verified="false", note=str(e))
            return row
        platform = discover.list_platform(page.url, page.text)
        row.update(
            status="ok", verified="true", detected_platform=platform, note=f"column answers; reads as {platform}"
        )
        return row
    found = discover.discover(website, fetch, max_hops=max_hops)
    if found.error:
        row.update(status=found.error.split(":", 1)[0], verified="false", note=found.error)
        return row
    row.update(status="ok", verified="true")
    if found.column:
        row["start_urls"] = found.column
        row["detected_platform"] = found.platform
        row["note"] = (
            f"column found by link text {found.column_text or '(the page itself)'!r}; reads as {found.platform}"
        )
    else:
        row["note"] = "website answers; no annual-report column found within " + f"{max_hops} links"
    return row


def check_rows(rows: list[dict], fetch, concurrency: int = 8, max_hops: int = 2) -> list[dict]:
    """Every row checked (in the input order), sites in parallel, each host one request at a time."""
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(lambda r: check_row(r, fetch, max_hops), rows))
