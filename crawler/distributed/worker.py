"""The worker side of a distributed crawl: the ``reports`` spider sharing one frontier in Redis.

``nianbao worker --redis URL`` (``run_worker``) joins the current crawl on that Redis, on this
machine or any other, and runs ``DistributedReportsSpider`` until the coordinator says done.
Workers need no archive, only the registry's hosts and the Redis. The design is in the
package's docstring (``crawler.distributed``).
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive.store import paths
from crawler.faults import BLOCKED_STATUSES, AntiBotGuard
from crawler.ledger import SiteCounts
from crawler.retry import asked_wait
from crawler.runner import crawl_settings
from crawler.settings import settings_by_name
from crawler.spiders.reports import ReportsSpider

from .discovery import SharedDiscovery
from .shared import (
    Keys,
    RedisCounts,
    RedisDict,
    RedisSet,
    RedisSetsBySite,
    RedisUnavailable,
    connect,
    keys_from_settings,
    new_worker_id,
    ping,
)

# -- Scrapy components -------------------------------------------------------------------------


class SharedScheduler(Scheduler):
    """scrapy-redis' scheduler, counting every push and pop in ``…:activity``: the coordinator
    calls the frontier quiet only when that counter has not moved for a while."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        # scrapy-redis 0.9 passes ``spider=`` to the stats (deprecated in Scrapy 2.13+): we count instead.
        scheduler.crawler_stats, scheduler.stats = crawler.stats, None
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.activity_key = keys_from_settings(spider.settings).activity

    def enqueue_request(self, request):
        added = super().enqueue_request(request)
        if added:
            self.server.incr(self.activity_key)
            self.crawler_stats.inc_value("scheduler/enqueued/redis")
        return added

    def next_request(self):
        request = super().next_request()
        if request is not None:
            self.server.incr(self.activity_key)
            self.crawler_stats.inc_value("scheduler/dequeued/redis")
        return request


class DistributedReportsSpider(SharedDiscovery, ReportsSpider):
    """``ReportsSpider`` whose per-run state is shared through Redis (see the module docstring)."""

    name = "reports_redis"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.redis = connect(settings.get("REDIS_URL"))
        spider.keys = keys = keys_from_settings(settings)
        spider.worker_id = settings.get("NIANBAO_WORKER_ID")
        spider.orphan_after = settings.getfloat("NIANBAO_REDIS_ORPHAN_S")
        spider.coordinator_missing_since = None
        config = spider.redis.hgetall(keys.config)
        spider.known = json.loads(config[b"known"])
        spider.known_sites = set(json.loads(config[b"known_sites"]))
        spider.discovered = json.loads(config.get(b"discovered", b"{}"))  # report columns found on earlier nights
        # Files are asked for conditionally only where a 304 can be answered: a worker that sees the
        # archive's files/ (NIANBAO_FILES_DIR, `nianbao worker --files-dir`); others fetch them whole.
        spider.known_files = json.loads(config.get(b"known_files", b"{}")) if settings.get("NIANBAO_FILES_DIR") else {}
        spider.listed = RedisSetsBySite(spider.redis, keys)
        spider.incomplete = RedisSet(spider.redis, keys.incomplete)
        spider.requested = RedisSet(spider.redis, keys.requested)
        spider.platforms = RedisDict(spider.redis, keys.platforms)
        spider.list_requested = RedisCounts(spider.redis, keys.list_requests)
        spider.list_pages = {site_id: 0 for site_id in spider.sites}  # only for progress lines: per worker
        return spider

    def count_list_request(self, site_id: str) -> None:
        self.list_requested.incr(site_id)

    async def start(self):
        """Only the worker that takes the seed lock yields the start requests (and registry errors)."""
        if not self.redis.set(self.keys.seed_lock, self.worker_id, nx=True):
            return
        async for request_or_item in super().start():
            yield request_or_item
        self.redis.set(self.keys.seeded, self.worker_id)

    def on_idle(self, spider=None):
        phase = self.redis.get(self.keys.phase)
        if phase == b"vanish" and self.redis.set(self.keys.vanish_lock, self.worker_id, nx=True):
            # The frontier is quiet: everything listed this run is in Redis. Read it once, then
            # run the single-process vanish check on it.
            self.listed = self.listed.snapshot(self.sites)
            self.incomplete = self.incomplete.snapshot()
            self.requested = self.requested.snapshot()
            try:
                super().on_idle(spider)
            except DontCloseSpider:
                pass
            finally:
                self.redis.set(self.keys.phase, b"final")
            raise DontCloseSpider
        if self.redis.exists(self.keys.done):
            return  # the coordinator says the crawl is over: close
        if not self.redis.exists(self.keys.coordinator):
            self.coordinator_missing_since = self.coordinator_missing_since or time.monotonic()
            if time.monotonic() - self.coordinator_missing_since > self.orphan_after:
                raise CloseSpider("coordinator_lost")
        else:
            self.coordinator_missing_since = None
        raise DontCloseSpider


# Take a host's turn for one request, atomically, on the Redis server's clock (workers' clocks
# may disagree). KEYS: the host's pace key, its in-flight set. ARGV: request token, lease ms,
# concurrency limit (0: none), interval ms (0: none), worker id. Returns 0 when the request may
# leave (it is then in flight until released or its lease ends), else the ms to wait.
_TAKE_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, interval = tonumber(ARGV[3]), tonumber(ARGV[4])
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= limit then return 50 end
end
if interval > 0 and not redis.call('SET', KEYS[1], ARGV[5], 'NX', 'PX', interval) then
  return math.max(redis.call('PTTL', KEYS[1]), 1)
end
if limit > 0 then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
end
return 0
"""


class PacedDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, keeping one host's politeness across all workers: requests start at
    least ``NIANBAO_HOST_INTERVAL`` apart (the shared ``DOWNLOAD_DELAY``) and at most
    ``NIANBAO_HOST_CONCURRENCY`` are in flight at once (the shared ``CONCURRENT_REQUESTS_PER_DOMAIN``),
    whichever worker sends them (see the module docstring).

    It waits in the handler, after the worker's own slot (its delay and per-site concurrency) has
    let the request go, so nothing queued behind the wait can leave in a burst. The host's state
    lives in Redis and expires by itself: a worker killed mid-request holds its pace slot for one
    interval and its in-flight place until the request's download timeout (plus a margin) has
    passed. The download timeout starts after the wait."""

    LEASE_MARGIN_S = 5

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        # Unset, they are the single crawl's own: DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN.
        interval, concurrency = settings.get("NIANBAO_HOST_INTERVAL"), settings.get("NIANBAO_HOST_CONCURRENCY")
        self.interval_ms = int(1000 * float(settings.getfloat("DOWNLOAD_DELAY") if interval is None else interval))
        self.concurrency = int(
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") if concurrency is None else concurrency
        )
        self.timeout_s = settings.getfloat("DOWNLOAD_TIMEOUT")
        self.max_retry_after = settings.getfloat("NIANBAO_MAX_RETRY_AFTER")
        self.server = connect(settings.get("REDIS_URL"))
        self.take_turn = self.server.register_script(_TAKE_TURN)
        self.keys = keys_from_settings(settings)
        self.worker_id = settings.get("NIANBAO_WORKER_ID") or ""

    async def download_request(self, request):
        if self.interval_ms <= 0 and self.concurrency <= 0:
            return await super().download_request(request)
        host = urlsplit(request.url).hostname
        inflight = f"{self.keys.ns}:inflight:{host}"
        token = f"{self.worker_id}:{os.urandom(6).hex()}"
        lease_ms = int(1000 * (float(request.meta.get("download_timeout") or self.timeout_s) + self.LEASE_MARGIN_S))
        keys = [f"{self.keys.ns}:pace:{host}", inflight]
        while wait_ms := self.take_turn(
            keys=keys, args=[token, lease_ms, self.concurrency, self.interval_ms, self.worker_id]
        ):
            await asyncio.sleep(wait_ms / 1000)
        try:
            response = await super().download_request(request)
        finally:
            if self.concurrency > 0:
                self.server.zrem(inflight, token)
        hold_for_retry_after(self.server, keys[0], response, self.max_retry_after, self.worker_id)
        return response


def hold_for_retry_after(server: redis.Redis, pace_key: str, response, max_retry_after: float, holder: str) -> None:
    """A 503/429 whose Retry-After is waited for (at most ``max_retry_after``) holds the site's shared pace
    slot that long, so no worker sends the site anything meanwhile (``crawler.retry`` pauses only the
    slot of the worker that got it)."""
    asked = asked_wait(response)
    if asked and asked <= max_retry_after:
        server.set(pace_key, holder or "retry-after", px=int(asked * 1000))


class SharedAntiBotGuard(AntiBotGuard):
    """``AntiBotGuard`` counting a site's challenges in Redis (``…:challenges``) for all the workers: each
    counting its own, three workers let a site answer up to three times NIANBAO_BLOCKED_LIMIT challenges
    (measured in 5 crawls: 8 to 10 of a guarded site's 10 articles asked, where one process asks at most
    the 5 of its first list page)."""

    def __init__(self, limit: int, server: redis.Redis, key: str):
        super().__init__(limit)
        self.challenges = RedisCounts(server, key)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.getint("NIANBAO_BLOCKED_LIMIT"),
            connect(settings.get("REDIS_URL")),
            keys_from_settings(settings).challenges,
        )

    def process_response(self, request, response, spider=None):
        if response.status in BLOCKED_STATUSES and request.meta.get("site_id"):
            self.challenges.incr(request.meta["site_id"])
        return response


class RedisItemSink:
    """The last item pipeline of a worker: each processed item to the coordinator's queue."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.server = connect(crawler.settings.get("REDIS_URL"))
        self.keys = keys_from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        self.server.pipeline().lpush(self.keys.items, pickle.dumps(("item", item), protocol=5)).incr(
            self.keys.activity
        ).execute()
        return item


class WorkerPresence:
    """Tells the coordinator this worker is alive and whether it is busy; counts its responses per site
    (``crawler.ledger.SiteCounts``, as a single crawl does) and sends them when closing."""

    HEARTBEAT_S = 0.5
    TTL_MS = 10_000

    def __init__(self, crawler):
        self.crawler = crawler
        self.server = connect(crawler.settings.get("REDIS_URL"))
        self.keys = keys_from_settings(crawler.settings)
        self.worker_id = crawler.settings.get("NIANBAO_WORKER_ID")
        self.counts = SiteCounts()
        self.loop = task.LoopingCall(self.beat)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def opened(self, spider=None):
        self.server.sadd(self.keys.workers, self.worker_id)
        self.loop.start(self.HEARTBEAT_S, now=True)

    def beat(self):
        engine = self.crawler.engine
        busy = engine is None or not engine.spider_is_idle()
        self.server.set(self.keys.worker(self.worker_id), b"busy" if busy else b"idle", px=self.TTL_MS)

    def response_received(self, response, request, spider=None):
        self.counts.response(request.meta.get("site_id"), len(response.body))

    def closed(self, spider=None, reason=None):
        if self.loop.running:
            self.loop.stop()
        stats = self.crawler.stats
        message = {
            "worker": self.worker_id,
            "reason": reason,
            **self.counts.as_message(),
            "requests": stats.get_value("downloader/request_count", 0) or 0,
            "peak_rss_kb": _peak_rss_kb(),
        }
        self.server.pipeline().lpush(self.keys.items, pickle.dumps(("worker", message), protocol=5)).delete(
            self.keys.worker(self.worker_id)
        ).execute()


def _peak_rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _replaced(settings, name: str, replacements: dict[str, str]) -> dict:
    """A component dict setting (``DOWNLOADER_MIDDLEWARES``) with each component swapped for ours at its
    own priority, read from the project's setting or Scrapy's base."""
    components = dict(settings.getdict(name))
    base = settings.getdict(f"{name}_BASE")
    for old, new in replacements.items():
        priority = components.get(old, base.get(old))
        components.update({old: None, new: priority})
    return components


def run_worker(
    redis_url: str,
    prefix: str = settings_by_name["NIANBAO_REDIS_PREFIX"].default,
    warc_dir: str | Path | None = None,
    files_dir: str | Path | None = None,
    wait_s: float = 600,
    log_level: str = "WARNING",
    orphan_s: float | None = None,
) -> dict:
    """``nianbao worker``: join the current crawl on this Redis and fetch until it is done; returns Scrapy's stats."""
    from scrapy.core.engine import ExecutionEngine
    from scrapy.crawler import CrawlerProcess

    server = ping(redis_url)
    deadline = time.monotonic() + wait_s
    while True:
        token = server.get(Keys.current(prefix))
        if token and server.exists(Keys(prefix, token.decode()).config):
            break
        if time.monotonic() > deadline:
            raise RedisUnavailable(f"no crawl to join on {redis_url} (prefix {prefix!r}) after {wait_s:.0f}s")
        time.sleep(0.5)
    keys = Keys(prefix, token.decode())
    config = server.hgetall(keys.config)
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp) / "sites.csv"
        sites.write_bytes(config[b"registry"])
        published = json.loads(config[b"settings"])
        settings = crawl_settings(
            sites,
            "",
            allow_private=published.pop("NIANBAO_ALLOW_PRIVATE", False),
            progress=False,
            log_level=log_level,
            overrides=published,
        )
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        pipelines.update({"crawler.pipelines.StoragePipeline": None, "crawler.distributed.worker.RedisItemSink": 900})
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.distributed.worker.WorkerPresence"] = 600
        middlewares = _replaced(
            settings,
            "DOWNLOADER_MIDDLEWARES",
            {
                "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": "crawler.distributed.robots.SharedRobotsTxtMiddleware",
                "crawler.faults.AntiBotGuard": "crawler.distributed.worker.SharedAntiBotGuard",
            },
        )  # one robots.txt request per host, and one count of a site's challenges, for all workers
        handlers = {
            **settings.getdict("DOWNLOAD_HANDLERS"),
            "http": "crawler.distributed.worker.PacedDownloadHandler",
            "https": "crawler.distributed.worker.PacedDownloadHandler",
        }  # one site's pace kept by all workers
        settings.setdict(
            {
                "REDIS_URL": redis_url,
                "NIANBAO_REDIS_PREFIX": prefix,
                "NIANBAO_REDIS_CRAWL": keys.token,
                "NIANBAO_WORKER_ID": new_worker_id(),
                **({"NIANBAO_REDIS_ORPHAN_S": orphan_s} if orphan_s is not None else {}),
                "NIANBAO_WARC_DIR": str(paths.warc_dir("", warc_dir)),  # a worker has no archive: ./warc
                "NIANBAO_FILES_DIR": str(files_dir or ""),  # read only here: the coordinator keeps the files
                "SCHEDULER": "crawler.distributed.worker.SharedScheduler",
                "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                "SCHEDULER_PERSIST": True,  # the queue belongs to the crawl, not to this worker
                "SCHEDULER_QUEUE_KEY": keys.requests,
                "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
                "ITEM_PIPELINES": pipelines,
                "EXTENSIONS": extensions,
                "DOWNLOADER_MIDDLEWARES": middlewares,
                "DOWNLOAD_HANDLERS": handlers,
            },
            priority="cmdline",
        )
        # An idle engine asks the scheduler again only on its heartbeat (5 s); a shared frontier
        # refills while this worker waits, so ask every second.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 1.0
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(DistributedReportsSpider)
        process.crawl(crawler, sites=str(sites))
        process.start()
        return crawler.stats.get_stats()
