"""Retries that back off, and honour ``Retry-After``: Scrapy's RetryMiddleware, waiting before each retry.

Scrapy retries at once; a flapping or overloaded government server is better left alone a
while. Before retry *n* we wait ``NIANBAO_RETRY_BACKOFF * 2**(n-1)`` seconds, or what the
server's ``Retry-After`` (seconds or an HTTP date; 503 and 429) asks, when that is no more
than ``NIANBAO_MAX_RETRY_AFTER``. A longer ``Retry-After`` is not waited for: the request is
given up at once and recorded. After ``RETRY_TIMES`` retries the failure is recorded as
usual. The wait is an asyncio sleep inside the middleware, so it holds only this request's
slot of its site (other sites go on).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware

from crawler.faults import RetryGivenUp


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
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("NIANBAO_RETRY_BACKOFF", 2.0)
        self.max_retry_after = settings.getfloat("NIANBAO_MAX_RETRY_AFTER", 120.0)

    def _wait(self, request) -> float:
        return self.backoff * 2 ** request.meta.get("retry_times", 0)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None
        if asked is not None and asked > self.max_retry_after:
            raise RetryGivenUp(response.status, f"HTTP {response.status} with Retry-After {asked:.0f} s, more than "
                                                f"NIANBAO_MAX_RETRY_AFTER ({self.max_retry_after:.0f} s): not retried")
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(asked if asked is not None else self._wait(request))
        return retry

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._wait(request))
        return retry
