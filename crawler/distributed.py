"""The worker side of a distributed crawl: the ``reports`` spider sharing one frontier in Redis.

Design (the coordinator is ``archive.distributed``):

* **Frontier.** scrapy-redis holds the scheduler queue (a sorted set, so priorities keep
  working) and the dupefilter (a set of fingerprints), so every worker pops from the same
  queue and no URL is scheduled twice, whichever worker found it. We use scrapy-redis
  because it is the maintained Scrapy extension for exactly this; only the counting of
  queue activity (``SharedScheduler``) is ours.
* **One writer.** Workers never open the archive. After the pure pipeline stages they push
  the very item ``StoragePipeline`` would have received (pickled, as scrapy-redis pickles
  requests) to a Redis list; the coordinator feeds each one to ``StoragePipeline.process_item``,
  so whatever storage does per item — today's tables and tomorrow's — happens unchanged, in
  one SQLite writer. We chose a queue over per-worker shards merged later because the
  archive's decisions (new, sighting, changed, gone) depend on what it already holds: a
  queue applies them to the one true archive, in one place, while shards would have to
  replay them anyway.
* **Incremental state.** The coordinator publishes what a single crawl reads from the
  archive at start (known pages and kept files with their validators, sites finished
  before, the registry, the crawl's settings); workers read it from Redis, so they need no
  archive. A 304 for a file needs its kept bytes, so only a worker that can read ``files/``
  (``NIANBAO_FILES_DIR``) asks for files conditionally.
  What the spider gathers during a run and reads when the lists are done (URLs listed per
  site, sites whose lists were cut short, URLs requested, detected platforms, list pages
  requested per site) lives in Redis sets and hashes, shared by all workers.
* **Phases.** The first worker to take the seed lock yields the start requests. When the
  coordinator sees the frontier quiet (queue and item list empty, every worker idle, no
  queue activity for a few seconds) it asks for the *vanish check*: one idle worker (a
  lock) asks again for the known pages missing from completely read lists, exactly as the
  single-process spider does on its first idle. When the frontier is quiet again the
  coordinator says *done*; workers close and send their counts (requests and bytes per
  site), which the coordinator adds to the run.
* **Ending.** scrapy-redis' own idle settings (``SCHEDULER_IDLE_BEFORE_CLOSE``, a blocking pop
  its priority queue ignores; ``MAX_IDLE_TIME_BEFORE_CLOSE``, for its RedisSpider) cannot tell
  a queue that is empty for a moment from a finished crawl while another worker still parses
  a list that will add requests. The coordinator can: it sees every worker's state.
* **Politeness.** Scrapy's delay and per-domain concurrency hold per process, so N workers
  would ask one site N times as often. The workers' HTTP handler spaces the requests to each host
  across all workers: a request leaves only once its host's slot in Redis (``SET NX PX``,
  ``NIANBAO_HOST_INTERVAL`` seconds, default ``DOWNLOAD_DELAY``) is free, so N workers ask a
  site no more often than one process would, and at most ``NIANBAO_HOST_CONCURRENCY`` (default
  ``CONCURRENT_REQUESTS_PER_DOMAIN``) of them are in flight at once across the workers (a sorted
  set of leases per host). ``PacedDownloadHandler`` does it.
* **Liveness.** Each worker refreshes a key with a short expiry saying busy or idle; a worker
  whose coordinator has been gone for ``NIANBAO_REDIS_ORPHAN_S`` seconds gives up. A worker
  killed mid-crawl loses the requests it had popped (scrapy-redis pops without an ack);
  they are found again on the next crawl, because their list pages are read every night.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import socket
import time
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.retry import asked_wait
from crawler.spiders.reports import ReportsSpider
from pipelines.storage import StoragePipeline


class Keys:
    """The Redis keys of one distributed crawl, all under ``PREFIX:TOKEN:``."""

    def __init__(self, prefix: str, token: str):
        self.prefix, self.token = prefix, token
        ns = f"{prefix}:{token}"
        self.ns = ns
        for name in ("config", "requests", "dupefilter", "items", "processing", "activity", "seed_lock", "seeded",
                     "phase", "vanish_lock", "done", "coordinator", "workers", "incomplete", "requested",
                     "platforms", "list_requests"):
            setattr(self, name, f"{ns}:{name}")

    @staticmethod
    def current(prefix: str) -> str:
        """The key naming the crawl workers should join."""
        return f"{prefix}:current"

    def listed(self, site_id: str) -> str:
        return f"{self.ns}:listed:{site_id}"

    def worker(self, worker_id: str) -> str:
        return f"{self.ns}:worker:{worker_id}"


def keys_from_settings(settings) -> Keys:
    return Keys(settings.get("NIANBAO_REDIS_PREFIX", "nianbao"), settings.get("NIANBAO_REDIS_CRAWL"))


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=10, health_check_interval=30)


# -- the run's shared state, with the interfaces of the spider's local sets and dicts ------------

class RedisSet:
    """A Redis set used where the spider uses a ``set``: ``add`` and ``in``."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def add(self, member: str) -> None:
        self.server.sadd(self.key, member)

    def __contains__(self, member: str) -> bool:
        return bool(self.server.sismember(self.key, member))

    def snapshot(self) -> set[str]:
        return {m.decode() for m in self.server.smembers(self.key)}


class RedisSetsBySite:
    """``spider.listed`` (site -> set of URLs): one Redis set per site."""

    def __init__(self, server: redis.Redis, keys: Keys):
        self.server, self.keys = server, keys

    def setdefault(self, site_id: str, default=None) -> RedisSet:
        return RedisSet(self.server, self.keys.listed(site_id))

    get = setdefault

    def snapshot(self, site_ids) -> dict[str, set[str]]:
        return {s: RedisSet(self.server, self.keys.listed(s)).snapshot() for s in site_ids}


class RedisDict:
    """``spider.platforms`` (site -> adapter): the first worker to detect a site's platform decides
    it for all (HSETNX), so a later list page (a JSON or XML endpoint) is never fingerprinted anew."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def get(self, field: str, default=None):
        value = self.server.hget(self.key, field)
        return value.decode() if value is not None else default

    def setdefault(self, field: str, value: str) -> str:
        self.server.hsetnx(self.key, field, value)
        return self.get(field)

    def items(self):
        return [(k.decode(), v.decode()) for k, v in self.server.hgetall(self.key).items()]


class RedisCounts:
    """``spider.list_requested`` (site -> list requests made): a Redis hash, incremented atomically."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def __getitem__(self, field: str) -> int:
        return int(self.server.hget(self.key, field) or 0)

    def __setitem__(self, field: str, value: int) -> None:
        self.server.hset(self.key, field, value)

    def incr(self, field: str) -> int:
        return self.server.hincrby(self.key, field, 1)


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


class DistributedReportsSpider(ReportsSpider):
    """``ReportsSpider`` whose per-run state is shared through Redis (see the module docstring)."""

    name = "reports_redis"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.redis = connect(settings.get("REDIS_URL"))
        spider.keys = keys = keys_from_settings(settings)
        spider.worker_id = settings.get("NIANBAO_WORKER_ID")
        spider.orphan_after = settings.getfloat("NIANBAO_REDIS_ORPHAN_S", 30)
        spider.coordinator_missing_since = None
        config = spider.redis.hgetall(keys.config)
        spider.known = json.loads(config[b"known"])
        spider.known_sites = set(json.loads(config[b"known_sites"]))
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
        self.interval_ms = int(1000 * settings.getfloat("NIANBAO_HOST_INTERVAL", settings.getfloat("DOWNLOAD_DELAY")))
        self.concurrency = settings.getint("NIANBAO_HOST_CONCURRENCY", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.timeout_s = settings.getfloat("DOWNLOAD_TIMEOUT")
        self.max_retry_after = settings.getfloat("NIANBAO_MAX_RETRY_AFTER", 120.0)
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
        while wait_ms := self.take_turn(keys=keys, args=[token, lease_ms, self.concurrency, self.interval_ms,
                                                         self.worker_id]):
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
        self.server.pipeline().lpush(self.keys.items, pickle.dumps(("item", item), protocol=5)) \
            .incr(self.keys.activity).execute()
        return item


class WorkerPresence:
    """Tells the coordinator this worker is alive and whether it is busy; counts, per site, what
    ``StoragePipeline.response_received`` counts in a single crawl, and sends it when closing."""

    HEARTBEAT_S = 0.5
    TTL_MS = 10_000

    def __init__(self, crawler):
        self.crawler = crawler
        self.server = connect(crawler.settings.get("REDIS_URL"))
        self.keys = keys_from_settings(crawler.settings)
        self.worker_id = crawler.settings.get("NIANBAO_WORKER_ID")
        self.per_site: dict[str, Counter] = defaultdict(Counter)
        self.first_seen: dict[str, float] = {}
        self.last_seen: dict[str, float] = {}
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

    # Counted by the very code a single crawl's StoragePipeline runs (it reads only these attributes).
    response_received = StoragePipeline.response_received

    def closed(self, spider=None, reason=None):
        if self.loop.running:
            self.loop.stop()
        stats = self.crawler.stats
        message = {"worker": self.worker_id, "reason": reason, "per_site": {k: dict(v) for k, v in self.per_site.items()},
                   "first_seen": self.first_seen, "last_seen": self.last_seen,
                   "requests": stats.get_value("downloader/request_count", 0) or 0,
                   "peak_rss_kb": _peak_rss_kb()}
        self.server.pipeline().lpush(self.keys.items, pickle.dumps(("worker", message), protocol=5)) \
            .delete(self.keys.worker(self.worker_id)).execute()


def _peak_rss_kb() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"
