"""The coordinator of a distributed crawl: it seeds the shared data and is the one archive writer.

``nianbao crawl --redis URL`` runs ``Coordinator``: it takes the archive's lock as any crawl
does, publishes in Redis what the spider reads from the archive at start (known pages and kept
files with their validators, sites finished before) with the registry and the crawl's settings,
and then is the crawl's only SQLite writer: it moves each item the workers pushed from
``…:items`` to ``…:processing`` (LMOVE), stores it through the same ``crawler.ledger.CrawlLedger``
a single crawl's ``StoragePipeline`` uses, and removes it from ``…:processing`` only after that
committed — so a coordinator killed at any moment leaves every uncommitted item in Redis, and
the next coordinator on the same Redis applies them first (at least once: a page stored twice
changes nothing, ``record_page`` being idempotent; an error would be recorded twice). It watches
the shared frontier, starts the vanish check when it is quiet, says *done* when it is quiet
again, adds the workers' per-site counts and closes the run.

We fold the ingest writer into ``nianbao crawl`` rather than a separate ``nianbao ingest``
because the run's bookkeeping (start, phases, counts, finish) needs exactly the process that
owns the archive; one command per role keeps the lock meaning "one crawl writes here".
"""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
import time
import uuid
from pathlib import Path

from archive.store import StorageError, snapshot
from archive.store.lock import crawl_lock
from archive.store.paths import files_dir, warc_dir
from crawler import adapters, registry
from crawler.items import now
from crawler.ledger import CrawlLedger
from crawler.runner import check_inputs, crawl_settings
from crawler.settings import settings_by_name

from .shared import Keys, RedisDict, RedisUnavailable, ping

logger = logging.getLogger(__name__)
progress = logging.getLogger("nianbao.progress")


class Coordinator:
    """Seeds the shared crawl's data, writes every item into the archive, and closes the run."""

    POLL_S = 0.25
    TTL_MS = 10_000

    def __init__(
        self,
        sites: str | Path,
        db: str | Path,
        redis_url: str,
        allow_private: bool = False,
        progress: bool = True,
        overrides: dict | None = None,
        prefix: str = settings_by_name["NIANBAO_REDIS_PREFIX"].default,
        settle_s: float = 2.0,
        worker_wait_s: float = 600,
        worker_lost_s: float = 30,
        local_workers: int = 0,
        log_level: str = "WARNING",
    ):
        self.sites_path, self.db, self.redis_url = Path(sites), Path(db), redis_url
        self.allow_private, self.progress, self.overrides = allow_private, progress, dict(overrides or {})
        self.prefix, self.settle_s = prefix, settle_s
        self.worker_wait_s, self.worker_lost_s = worker_wait_s, worker_lost_s
        self.local_workers, self.log_level = local_workers, log_level
        self.server = ping(redis_url)
        self.keys = Keys(prefix, uuid.uuid4().hex[:12])
        self.reported: dict[str, dict] = {}  # worker id -> its closing message
        self.requests = 0
        self.applied = 0

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> dict:
        previous = self._previous_crawl()
        sites, _ = registry.load(self.sites_path, tuple(adapters.ADAPTERS))
        self.site_ids = [s.site_id for s in sites]
        settings = crawl_settings(
            self.sites_path,
            self.db,
            self.allow_private,
            self.progress,
            self.log_level,
            {k: v for k, v in self.overrides.items() if k.startswith("NIANBAO_")},
        )
        self.warc_dir = warc_dir(self.db, settings["NIANBAO_WARC_DIR"])
        self.ledger = CrawlLedger(
            self.db,
            files_dir(self.db, settings["NIANBAO_FILES_DIR"]),
            settings.getint("NIANBAO_GONE_AFTER_RUNS"),
            self.progress,
        )
        self.ledger.open([s.as_row() for s in sites])
        try:
            if previous:
                self._recover(previous)  # before publishing: the pages it stores are known to this crawl
            self._publish(set(self.site_ids))
            procs = [self._start_local_worker() for _ in range(self.local_workers)]
            try:
                status = self._loop()
            finally:
                for p in procs:
                    try:
                        p.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        p.kill()
        except StorageError:
            # The archive cannot be written: the workers stop, and what they sent stays in Redis
            # (the item being stored in ``…:processing``) for the next coordinator to apply.
            self.server.set(self.keys.done, b"1")
            self.ledger.close("storage_error", self.requests, self.site_ids, {})
            raise
        platforms = dict(RedisDict(self.server, self.keys.platforms).items())
        run = self.ledger.close(status, self.requests, self.site_ids, platforms)
        self._clean(self.keys)
        return run

    def _publish(self, site_ids: set[str]) -> None:
        k = self.keys
        settings = {**self.overrides, "NIANBAO_ALLOW_PRIVATE": self.allow_private}
        self.server.hset(
            k.config,
            mapping={
                "registry": self.sites_path.read_text(encoding="utf-8"),
                "known": json.dumps(snapshot.known_articles(self.db, site_ids)),
                "known_sites": json.dumps(sorted(snapshot.finished_sites(self.db))),
                "discovered": json.dumps(snapshot.discovered_columns(self.db)),
                "known_files": json.dumps(
                    snapshot.known_files(self.db)
                ),  # asked for conditionally by workers that see files/
                "settings": json.dumps(settings),
            },
        )
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
            quiet = (
                bool(alive)
                and all(s == b"idle" for s in alive)
                and server.exists(k.seeded)
                and server.zcard(k.requests) == 0
                and server.llen(k.items) == 0
                and moment - activity_at >= self.settle_s
            )
            if self.progress and moment - last_status >= 10:
                last_status = moment
                progress.info(
                    "[redis] %d requests queued, %d items stored, %d/%d workers alive, phase %s",
                    server.zcard(k.requests),
                    self.applied,
                    len(alive),
                    len(joined),
                    phase,
                )
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
            if all(
                w in self.reported or self.server.get(self.keys.worker(w)) is None for w in joined
            ) and not self._drain(timeout=0):
                break
        missing = [w for w in joined if w not in self.reported]
        if missing and status == "finished":
            progress.warning("[redis] workers that never reported their counts: %s", ", ".join(missing))
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
        """One message: an item into the archive, or a worker's closing counts. A message that cannot be
        stored is recorded and the crawl goes on; an archive that cannot be written stops it."""
        payload = None
        try:
            kind, payload = pickle.loads(raw)
            if kind == "item":
                self.ledger.store(payload)
                self.applied += 1
            elif kind == "worker":
                self._add_worker_counts(payload)
            else:
                raise ValueError(f"unknown message kind {kind!r}")
        except StorageError:
            raise
        except Exception as e:
            logger.exception("[redis] cannot store a message: %s: %s", type(e).__name__, e)
            self.ledger.record_error(
                getattr(payload, "site_id", ""),
                getattr(payload, "url", ""),
                "ingest",
                f"{type(e).__name__}: {e}"[:500],
                now(),
            )

    def _add_worker_counts(self, message: dict) -> None:
        """A worker's per-site requests and bytes, counted as a single crawl counts them."""
        self.ledger.counts.merge(message)
        self.requests += message["requests"]
        self.reported[message["worker"]] = message

    # -- an earlier coordinator's leftovers -----------------------------------------------------

    def _previous_crawl(self) -> Keys | None:
        token = self.server.get(Keys.current(self.prefix))
        if not token:
            return None
        previous = Keys(self.prefix, token.decode())
        if self.server.exists(previous.coordinator):
            raise RedisUnavailable(
                f"another distributed crawl (prefix {self.prefix!r}, crawl {previous.token}) "
                f"is running on this Redis; not starting a second"
            )
        return previous

    def _recover(self, previous: Keys) -> None:
        """Items a killed coordinator had not committed (``processing`` first) go into this run."""
        server = self.server
        while server.lmove(previous.processing, previous.items, "LEFT", "RIGHT") is not None:
            pass
        n = 0
        while applied := self._drain(timeout=0, keys=previous):
            n += applied
        if n and self.progress:
            progress.info("[redis] stored %d messages left by the interrupted crawl %s", n, previous.token)
        self._clean(previous)

    def _clean(self, keys: Keys) -> None:
        for key in self.server.scan_iter(match=f"{keys.ns}:*", count=1000):
            self.server.delete(key)
        if self.server.get(Keys.current(self.prefix)) == keys.token.encode():
            self.server.delete(Keys.current(self.prefix))

    def _start_local_worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "archive.cli",
                "worker",
                "--redis",
                self.redis_url,
                "--prefix",
                self.prefix,
                "--warc-dir",
                str(self.warc_dir),
                "--wait",
                "60",
                "--files-dir",
                str(self.ledger.files_dir),
            ]
        )


def run_distributed_crawl(sites: str | Path, db: str | Path, redis_url: str, **options) -> dict:
    """``nianbao crawl --redis``: one crawl on this archive, its frontier in Redis; returns the run row."""
    check_inputs(sites, db)
    with crawl_lock(db):
        return Coordinator(sites, db, redis_url, **options).run()
