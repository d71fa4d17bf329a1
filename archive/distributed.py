"""A crawl shared by many workers: the coordinator (seeding data, the one archive writer) and the workers.

``nianbao crawl --redis URL`` runs ``Coordinator``: it takes the archive's lock as any crawl
does, publishes in Redis what the spider reads from the archive at start (known pages and kept
files with their validators, sites finished before) with the registry and the crawl's settings, and
then is the crawl's only SQLite writer: it moves each item the workers pushed from
``…:items`` to ``…:processing`` (LMOVE), gives it to the same ``StoragePipeline.process_item``
a single crawl uses, and removes it from ``…:processing`` only after that committed — so a
coordinator killed at any moment leaves every uncommitted item in Redis, and the next
coordinator on the same Redis applies them first (at least once: a page stored twice changes
nothing, ``record_page`` being idempotent; an error would be recorded twice). It watches the shared frontier, starts the vanish check when
it is quiet, says *done* when it is quiet again, adds the workers' per-site counts and
closes the run.

We fold the ingest writer into ``nianbao crawl`` rather than a separate ``nianbao ingest``
because the run's bookkeeping (start, phases, counts, finish) needs exactly the process that
owns the archive; one command per role keeps the lock meaning "one crawl writes here".

``nianbao worker --redis URL`` (``run_worker``) joins the current crawl on that Redis, on this
machine or any other, and runs ``crawler.distributed.DistributedReportsSpider`` until the
coordinator says done. Workers need no archive, only the registry's hosts and the Redis.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler import adapters, registry
from crawler.distributed import Keys, RedisDict, connect, new_worker_id
from crawler.spiders.reports import finished_sites, known_articles, known_files, now

from .crawl import crawl_lock, crawl_settings


class RedisUnavailable(RuntimeError):
    """The Redis server cannot be reached, or holds another live crawl under the prefix."""


def _ping(url: str):
    import redis

    server = connect(url)
    try:
        server.ping()
    except redis.RedisError as e:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {e}") from None
    return server


class Coordinator:
    """Seeds the shared crawl's data, writes every item into the archive, and closes the run."""

    POLL_S = 0.25
    TTL_MS = 10_000

    def __init__(self, sites: str | Path, db: str | Path, redis_url: str, allow_private: bool = False,
                 progress: bool = True, overrides: dict | None = None, prefix: str = "nianbao",
                 settle_s: float = 2.0, worker_wait_s: float = 600, worker_lost_s: float = 30,
                 local_workers: int = 0, log_level: str = "WARNING"):
        self.sites_path, self.db, self.redis_url = Path(sites), Path(db), redis_url
        self.allow_private, self.progress, self.overrides = allow_private, progress, dict(overrides or {})
        self.prefix, self.settle_s = prefix, settle_s
        self.worker_wait_s, self.worker_lost_s = worker_wait_s, worker_lost_s
        self.local_workers, self.log_level = local_workers, log_level
        self.server = _ping(redis_url)
        self.keys = Keys(prefix, uuid.uuid4().hex[:12])
        self.reported: dict[str, dict] = {}  # worker id -> its closing message
        self.requests = 0
        self.applied = 0

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> dict:
        from pipelines.storage import StoragePipeline

        previous = self._previous_crawl()
        sites, _ = registry.load(self.sites_path, tuple(adapters.ADAPTERS))
        settings = Settings({"NIANBAO_DB": str(self.db), "NIANBAO_PROGRESS": self.progress,
                             **{k: v for k, v in self.overrides.items() if k.startswith("NIANBAO_")}})
        # What StoragePipeline reads of a Crawler: its settings, stats and spider (sites, platforms).
        self.spider = SimpleNamespace(sites={s.site_id: s for s in sites}, platforms={})
        self.crawler = SimpleNamespace(settings=settings, spider=self.spider)
        self.crawler.stats = MemoryStatsCollector(self.crawler)
        self.pipeline = StoragePipeline(self.crawler)
        self.pipeline.open_spider(self.spider)
        if previous:
            self._recover(previous)  # before publishing: the pages it stores are known to this crawl
        self._publish(set(self.spider.sites))
        procs = [self._start_local_worker() for _ in range(self.local_workers)]
        try:
            status = self._loop()
        finally:
            for p in procs:
                try:
                    p.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.spider.platforms = dict(RedisDict(self.server, self.keys.platforms).items())
        self.crawler.stats.set_value("downloader/request_count", self.requests)
        self.crawler.stats.set_value("finish_reason", status)
        self.pipeline.close_spider(self.spider)
        self._clean(self.keys)
        return self.crawler.stats.get_value("nianbao/run")

    def _publish(self, site_ids: set[str]) -> None:
        k = self.keys
        settings = {**self.overrides, "NIANBAO_ALLOW_PRIVATE": self.allow_private}
        self.server.hset(k.config, mapping={
            "registry": self.sites_path.read_text(encoding="utf-8"),
            "known": json.dumps(known_articles(str(self.db), site_ids)),
            "known_sites": json.dumps(sorted(finished_sites(str(self.db)))),
            "known_files": json.dumps(known_files(str(self.db))),  # asked for conditionally by workers that see files/
            "settings": json.dumps(settings),
        })
        self.server.set(k.phase, b"crawl")
        self.server.set(k.coordinator, b"1", px=self.TTL_MS)
        self.server.set(Keys.current(self.prefix), k.token)

    def _loop(self) -> str:
        """Apply items until the frontier has been drained twice (crawl, then the vanish check)."""
        k, server = self.keys, self.server
        started = last_status = time.monotonic()
        activity, activity_at = None, time.monotonic()
        phase, lost_since = "crawl", None
        while True:
            server.set(k.coordinator, b"1", px=self.TTL_MS)
            if self._drain(timeout=self.POLL_S):
                continue
            moment = time.monotonic()
            counter = server.get(k.activity)
            if counter != activity:
                activity, activity_at = counter, moment
            joined = [w.decode() for w in server.smembers(k.workers)]
            states = server.mget([k.worker(w) for w in joined]) if joined else []
            alive = [s for s in states if s is not None]
            quiet = (bool(alive) and all(s == b"idle" for s in alive) and server.exists(k.seeded)
                     and server.zcard(k.requests) == 0 and server.llen(k.items) == 0
                     and moment - activity_at >= self.settle_s)
            if self.progress and moment - last_status >= 10:
                last_status = moment
                print(f"[redis] {server.zcard(k.requests)} requests queued, {self.applied} items stored, "
                      f"{len(alive)}/{len(joined)} workers alive, phase {phase}", file=sys.stderr, flush=True)
            if not server.exists(k.seeded) and self._seeder_gone(joined):
                # Only the seeding worker yields the start requests: without it the crawl cannot end.
                server.set(k.done, b"1")
                return self._close(joined, "seeder_lost")
            if phase == "crawl" and quiet:
                server.set(k.phase, b"vanish")
                phase = "vanish"
            elif phase == "vanish" and server.get(k.phase) == b"final":
                phase, activity_at = "final", moment
            elif phase == "final" and quiet:
                server.set(k.done, b"1")
                return self._close(joined, "finished")
            if not joined:
                if moment - started > self.worker_wait_s:
                    server.set(k.done, b"1")
                    return "no_workers"
            elif not alive:
                lost_since = lost_since or moment
                if moment - lost_since > self.worker_lost_s and not self._drain(timeout=0):
                    server.set(k.done, b"1")
                    return self._close(joined, "workers_lost")
            else:
                lost_since = None

    def _seeder_gone(self, joined: list[str]) -> bool:
        holder = self.server.get(self.keys.seed_lock)
        return bool(holder) and holder.decode() in joined and self.server.get(self.keys.worker(holder.decode())) is None

    def _close(self, joined: list[str], status: str) -> str:
        """Apply what the workers still send until each has reported its counts (or is gone)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._drain(timeout=self.POLL_S):
                continue
            joined = [w.decode() for w in self.server.smembers(self.keys.workers)]
            if all(w in self.reported or self.server.get(self.keys.worker(w)) is None for w in joined) \
                    and not self._drain(timeout=0):
                break
        missing = [w for w in joined if w not in self.reported]
        if missing and status == "finished":
            print(f"[redis] workers that never reported their counts: {', '.join(missing)}", file=sys.stderr)
        return status

    # -- items -------------------------------------------------------------------------------

    def _drain(self, timeout: float, batch: int = 500, keys: Keys | None = None) -> int:
        """Apply up to ``batch`` messages; each leaves ``…:processing`` only once it is committed."""
        k = keys or self.keys
        n = 0
        while n < batch:
            if n == 0 and timeout:
                raw = self.server.blmove(k.items, k.processing, timeout, "RIGHT", "LEFT")
            else:
                raw = self.server.lmove(k.items, k.processing, "RIGHT", "LEFT")
            if raw is None:
                break
            self._apply(raw)
            self.server.lrem(k.processing, 1, raw)
            n += 1
        return n

    def _apply(self, raw: bytes) -> None:
        try:
            kind, payload = pickle.loads(raw)
            if kind == "item":
                self.pipeline.process_item(payload, self.spider)
                self.applied += 1
            elif kind == "worker":
                self._add_worker_counts(payload)
            else:
                raise ValueError(f"unknown message kind {kind!r}")
        except Exception as e:  # a message that cannot be stored is recorded, and the crawl goes on
            item = payload if "payload" in locals() else None
            print(f"[redis] cannot store a message: {type(e).__name__}: {e}", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            self.pipeline.archive.record_error(self.pipeline.run_id, getattr(item, "site_id", ""),
                                               getattr(item, "url", ""), "ingest",
                                               f"{type(e).__name__}: {e}"[:500], now())

    def _add_worker_counts(self, message: dict) -> None:
        """A worker's per-site requests and bytes, as ``StoragePipeline.response_received`` counts them."""
        p = self.pipeline
        for site_id, counts in message["per_site"].items():
            p.per_site[site_id].update(counts)
        for site_id, t in message["first_seen"].items():
            p.first_seen[site_id] = min(t, p.first_seen.get(site_id, t))
        for site_id, t in message["last_seen"].items():
            p.last_seen[site_id] = max(t, p.last_seen.get(site_id, t))
        self.requests += message["requests"]
        self.reported[message["worker"]] = message

    # -- an earlier coordinator's leftovers -----------------------------------------------------

    def _previous_crawl(self) -> Keys | None:
        token = self.server.get(Keys.current(self.prefix))
        if not token:
            return None
        previous = Keys(self.prefix, token.decode())
        if self.server.exists(previous.coordinator):
            raise RedisUnavailable(f"another distributed crawl (prefix {self.prefix!r}, crawl {previous.token}) "
                                   f"is running on this Redis; not starting a second")
        return previous

    def _recover(self, previous: Keys) -> None:
        """Items a killed coordinator had not committed (``processing`` first) go into this run."""
        server = self.server
        while server.lmove(previous.processing, previous.items, "LEFT", "RIGHT") is not None:
            pass
        n = 0
        while (applied := self._drain(timeout=0, keys=previous)):
            n += applied
        if n and self.progress:
            print(f"[redis] stored {n} messages left by the interrupted crawl {previous.token}", file=sys.stderr)
        self._clean(previous)

    def _clean(self, keys: Keys) -> None:
        for key in self.server.scan_iter(match=f"{keys.ns}:*", count=1000):
            self.server.delete(key)
        if self.server.get(Keys.current(self.prefix)) == keys.token.encode():
            self.server.delete(Keys.current(self.prefix))

    def _start_local_worker(self) -> subprocess.Popen:
        warc = Path(self.overrides.get("NIANBAO_WARC_DIR") or self.db.resolve().parent / "warc")
        return subprocess.Popen([sys.executable, "-m", "archive.cli", "worker", "--redis", self.redis_url,
                                 "--prefix", self.prefix, "--warc-dir", str(warc), "--wait", "60",
                                 "--files-dir", str(self.pipeline.files_dir)])


def run_distributed_crawl(sites: str | Path, db: str | Path, redis_url: str, **options) -> dict:
    """``nianbao crawl --redis``: one crawl on this archive, its frontier in Redis; returns the run row."""
    with crawl_lock(db):
        return Coordinator(sites, db, redis_url, **options).run()


def run_worker(redis_url: str, prefix: str = "nianbao", warc_dir: str | Path | None = None,
               files_dir: str | Path | None = None, wait_s: float = 600,
               log_level: str = "WARNING", orphan_s: float = 30) -> dict:
    """``nianbao worker``: join the current crawl on this Redis and fetch until it is done; returns Scrapy's stats."""
    from scrapy.core.engine import ExecutionEngine
    from scrapy.crawler import CrawlerProcess

    from crawler.distributed import DistributedReportsSpider

    server = _ping(redis_url)
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
        settings = crawl_settings(sites, "", allow_private=published.pop("NIANBAO_ALLOW_PRIVATE", False),
                                  progress=False, log_level=log_level, overrides=published)
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        pipelines.update({"pipelines.storage.StoragePipeline": None, "crawler.distributed.RedisItemSink": 900})
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.distributed.WorkerPresence"] = 600
        handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": "crawler.distributed.PacedDownloadHandler",
                    "https": "crawler.distributed.PacedDownloadHandler"}  # one site's pace kept by all workers
        settings.setdict({
            "REDIS_URL": redis_url, "NIANBAO_REDIS_PREFIX": prefix, "NIANBAO_REDIS_CRAWL": keys.token,
            "NIANBAO_WORKER_ID": new_worker_id(), "NIANBAO_REDIS_ORPHAN_S": orphan_s,
            "NIANBAO_WARC_DIR": str(warc_dir or Path.cwd() / "warc"),
            "NIANBAO_FILES_DIR": str(files_dir or ""),  # read only here: the coordinator keeps the files
            "SCHEDULER": "crawler.distributed.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,  # the queue belongs to the crawl, not to this worker
            "SCHEDULER_QUEUE_KEY": keys.requests, "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
            "ITEM_PIPELINES": pipelines, "EXTENSIONS": extensions, "DOWNLOAD_HANDLERS": handlers,
        }, priority="cmdline")
        # An idle engine asks the scheduler again only on its heartbeat (5 s); a shared frontier
        # refills while this worker waits, so ask every second.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 1.0
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(DistributedReportsSpider)
        process.crawl(crawler, sites=str(sites))
        process.start()
        return crawler.stats.get_stats()
