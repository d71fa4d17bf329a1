"""robots.txt read once per host for all the workers of a distributed crawl.

Scrapy's ``RobotsTxtMiddleware`` fetches ``/robots.txt`` once per host *per process*, so N workers
asked every site for it up to N times: 3 workers on 150 scale-mode sites made 419 robots.txt
requests where one process made 150, and nothing else differed. ``SharedRobotsTxtMiddleware``
keeps what the fetch gave in a Redis hash under the crawl's keys (``Keys.robots``, one field per
host, removed with the crawl): one worker fetches it, every worker parses it with its own
``ROBOTSTXT_PARSER``.

What is kept is what Scrapy's middleware would have parsed, so a host is obeyed exactly as by one
process: the body of whatever answer came, whatever its status (a 404 page's HTML allows all; a 5xx
is retried first, as any request), or "no answer" (a network error, a request a guard refused:
allow all).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import redis
from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from .shared import Keys, connect, keys_from_settings

logger = logging.getLogger(__name__)

_BODY, _NO_ANSWER = b"+", b"-"  # the first byte of a stored answer


class SharedRobots:
    """One host's robots.txt answer in Redis: fetched by the worker that takes the host's lock, read by
    the others. The lock is a lease (``SET NX PX``) its holder renews while it fetches, so a waiter
    never fetches beside a live holder (which may be retrying, or waiting for the host's turn), yet a
    holder killed mid-fetch frees the host within ``LEASE_MS`` and a waiter fetches instead."""

    LEASE_MS = 10_000
    RENEW_S = 2.0
    POLL_S = 0.1

    def __init__(self, server: redis.Redis, keys: Keys, holder: str):
        self.server, self.keys, self.holder = server, keys, holder

    async def answer(self, netloc: str, fetch: Callable[[], Awaitable[bytes | None]]) -> tuple[bytes | None, bool]:
        """The host's robots.txt body (None: no answer, allow all), and whether this worker fetched it."""
        lock = self.keys.robots_lock(netloc)
        while True:
            stored = self.server.hget(self.keys.robots, netloc)
            if stored is not None:
                return _decode(stored), False
            if self.server.set(lock, self.holder, nx=True, px=self.LEASE_MS):
                # The last holder stores before letting go: read again, or we would fetch it twice.
                stored = self.server.hget(self.keys.robots, netloc)
                if stored is None:
                    break
                self.server.delete(lock)
                return _decode(stored), False
            await asyncio.sleep(self.POLL_S)
        renewing = asyncio.ensure_future(self._renew(lock))
        try:
            body = await fetch()
            self.server.hset(self.keys.robots, netloc, _encode(body))
        finally:
            renewing.cancel()
            self.server.delete(lock)
        return body, True

    async def _renew(self, lock: str) -> None:
        while True:
            await asyncio.sleep(self.RENEW_S)
            self.server.pexpire(lock, self.LEASE_MS)


def _encode(body: bytes | None) -> bytes:
    return _NO_ANSWER if body is None else _BODY + body


def _decode(stored: bytes) -> bytes | None:
    return stored[1:] if stored[:1] == _BODY else None


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware whose fetches are shared by the workers (``SharedRobots``); the
    parsing, the rules and the ``robots_parsed`` signal stay each worker's, as in one process."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.shared = SharedRobots(
            connect(settings.get("REDIS_URL")), keys_from_settings(settings), settings.get("NIANBAO_WORKER_ID") or ""
        )

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            pending = self._parsers[netloc] = Deferred()
            parser = None
            try:
                parser = await self._shared_parser(request, url.scheme, netloc)
            finally:  # whatever happened, the requests waiting for this host go on
                self._parsers[netloc] = parser
                pending.callback(parser)
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _shared_parser(self, request: Request, scheme: str, netloc: str):
        def fetch():
            return self._fetch(scheme, netloc, request)

        try:
            body, fetched = await self.shared.answer(netloc, fetch)
        except redis.RedisError as e:  # no shared answer: this worker reads the host's robots.txt itself
            logger.warning("robots.txt of %s not shared (%s): fetched by this worker", netloc, e)
            body, fetched = await fetch(), True
        if not fetched:
            self._stats.inc_value("robotstxt/shared_count")
        if body is None:
            return None
        try:
            parser = build_from_crawler(self._parserimpl, self.crawler, body)
            await self.crawler.signals.send_catch_log_async(
                signal=signals.robots_parsed, robotparser=parser, request=request
            )
        except Exception as e:  # Scrapy allows all when the parsing fails
            logger.error("Error parsing robots.txt of %s: %s", netloc, e, exc_info=True)
            return None
        return parser

    async def _fetch(self, scheme: str, netloc: str, request: Request) -> bytes | None:
        """Scrapy's own robots.txt request: the answer's body whatever its status, or None when none came."""
        robots = Request(
            f"{scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except Exception as e:
            if not isinstance(e, IgnoreRequest):
                logger.error("Error downloading %s: %s", robots, e, extra={"spider": self.crawler.spider})
                self._stats.inc_value(f"robotstxt/exception_count/{type(e)}")
            return None
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        return response.body
