"""Retries that back off, and honour ``Retry-After``: Scrapy's RetryMiddleware, leaving the site alone first.

Scrapy retries at once; a flapping or overloaded government server is better left alone a
while. Before retry *n* the site gets no request from this crawler for
``NIANBAO_RETRY_BACKOFF * 2**(n-1)`` seconds, or for what the server's ``Retry-After``
(seconds or an HTTP date; 503 and 429) asks, when that is no more than
``NIANBAO_MAX_RETRY_AFTER``. A longer ``Retry-After`` is not waited for: the request is given
up at once and recorded. After ``RETRY_TIMES`` retries the failure is recorded as usual.

The wait is the site's, not the request's: the retry goes back to the scheduler at once and
the site's download slot is paused (``pause_site``, on the ``response_downloaded`` signal,
before the slot would send its next request), so none of the site's other pages leave during
the wait either, and nothing holds one of the crawl's ``CONCURRENT_REQUESTS`` while
waiting (an asyncio sleep here did both wrong: it held a crawl-wide place and let the site's
other requests go on). Scrapy has no public call to pause a slot; we move the slot's
``lastseen`` (the time its last request left) into the future, which its delay then counts from.
"""

from __future__ import annotations

import datetime as dt
import time
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware

from crawler.faults import RetryGivenUp
from crawler.settings import MIN_DOWNLOAD_DELAY


def retry_after_seconds(value: bytes | str | None, now: dt.datetime | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for (delta-seconds or HTTP-date), or None if absent/unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def asked_wait(response) -> float | None:
    """The wait a 503/429 asks for in its ``Retry-After``; None for other answers or none readable."""
    return retry_after_seconds(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None


def pause_site(downloader, request, seconds: float) -> None:
    """Send nothing more to the request's download slot (its site) for ``seconds`` from now."""
    slot = downloader.slots.get(request.meta.get("download_slot") or downloader.get_slot_key(request))
    if slot is None:
        return
    slot.delay = slot.delay or MIN_DOWNLOAD_DELAY  # Scrapy counts a slot's waits only when it has a delay
    slot.lastseen = max(slot.lastseen, time.monotonic() + seconds)


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("NIANBAO_RETRY_BACKOFF")
        self.max_retry_after = settings.getfloat("NIANBAO_MAX_RETRY_AFTER")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def _wait(self, request) -> float:
        return self.backoff * 2 ** request.meta.get("retry_times", 0)

    def _pause_before_retry(self, request, response) -> float | None:
        """How long the site is left alone before this response is retried; None when it is not retried."""
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return None
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retry_times):
            return None
        asked = asked_wait(response)
        if asked is not None and asked > self.max_retry_after:
            return None
        return asked if asked is not None else self._wait(request)

    def response_downloaded(self, response, request, spider=None):
        """Scrapy sends this just before the site's slot lets its next request go: pause the site here,
        or one more request would leave at the moment the server asked us to wait."""
        wait = self._pause_before_retry(request, response)
        if wait:
            pause_site(self.crawler.engine.downloader, request, wait)

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = asked_wait(response)
        if asked is not None and asked > self.max_retry_after:
            raise RetryGivenUp(
                response.status,
                f"HTTP {response.status} with Retry-After {asked:.0f} s, more than "
                f"NIANBAO_MAX_RETRY_AFTER ({self.max_retry_after:.0f} s): not retried",
            )
        return self._retry(request, f"HTTP {response.status}") or response  # the site is paused already

    def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        wait = self._wait(request)
        retry = self._retry(request, exception)
        if retry is not None:
            pause_site(self.crawler.engine.downloader, request, wait)
        return retry
