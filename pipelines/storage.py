"""The last stage: pages and crawl errors into the SQLite archive (``archive.store``).

Opens the archive named by ``NIANBAO_DB`` when the spider opens, records the sites and a
``crawl_runs`` row, stores every item, and closes the run with its counts. With
``NIANBAO_PROGRESS`` it prints a line per site on stderr when the crawl ends.

When the archive cannot be written (disk full, read-only file, I/O error) the crawl stops:
the page being written is rolled back whole (one transaction per page), later items are
dropped, and the error is left in the stats (``nianbao/storage_error``) for ``nianbao crawl``
to report. Going on would only fetch pages we cannot keep.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from scrapy import signals

from archive.store import Archive
from crawler.faults import stop_crawl
from crawler.items import ArticlePage, CrawlError, Listed, NotModified, Unlisted
from pipelines.dedupe import canonical_url
from pipelines.page import page_faults


def files_dir(settings) -> Path:
    """Where downloaded files are kept: ``NIANBAO_FILES_DIR``, default ``files/`` beside the archive."""
    configured = settings.get("NIANBAO_FILES_DIR")
    return Path(configured) if configured else Path(settings.get("NIANBAO_DB") or ".").resolve().parent / "files"


def kept_file(files_dir: Path, sha256: str) -> Path:
    return files_dir / sha256[:2] / sha256


def read_kept(files_dir: Path, sha256: str) -> bytes | None:
    """The kept bytes of a file, or None when they are gone or no longer hash to their name (damaged)."""
    try:
        data = kept_file(files_dir, sha256).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def keep_file(files_dir: Path, data: bytes) -> Path:
    """A downloaded file, kept once by its SHA-256 (files/ab/abcdef…), however many reports link it.

    Written to a temporary name and renamed, so a crash never leaves half a file under a real hash;
    a kept file that no longer hashes to its name (a damaged disk) is written again.
    """
    digest = hashlib.sha256(data).hexdigest()
    path = kept_file(files_dir, digest)
    if read_kept(files_dir, digest) is None:  # not kept yet, or damaged
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{digest}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


logger = logging.getLogger(__name__)


class StorageError(RuntimeError):
    """The archive (or what is written beside it) cannot be written: disk full, read-only, I/O error."""


class StoragePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("NIANBAO_DB")
        self.progress = crawler.settings.getbool("NIANBAO_PROGRESS", False)
        self.gone_after = crawler.settings.getint("NIANBAO_GONE_AFTER_RUNS", 3)
        self.files_dir = files_dir(crawler.settings)
        self.archive: Archive | None = None
        self.storage_error: str | None = None
        self.run_id: int | None = None
        self.per_site: dict[str, Counter] = defaultdict(Counter)
        self.first_seen: dict[str, float] = {}
        self.last_seen: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        return pipeline

    def response_received(self, response, request, spider=None):
        site_id = request.meta.get("site_id")
        if site_id:
            c = self.per_site[site_id]
            c["requests"] += 1
            c["bytes"] += len(response.body)
            now = time.time()
            self.first_seen.setdefault(site_id, now)
            self.last_seen[site_id] = now

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        try:
            self.archive = Archive(self.db_path)
            self.archive.upsert_sites([s.as_row() for s in spider.sites.values()])
            self.run_id = self.archive.start_run(len(spider.sites))
        except sqlite3.Error as e:
            raise StorageError(self._fail(e)) from e
        self.crawler.stats.set_value("nianbao/run_id", self.run_id)

    def _fail(self, error: Exception) -> str:
        """Remember the first storage error, and stop the crawl."""
        if self.storage_error is None:
            self.storage_error = f"cannot write the archive {self.db_path}: {error} (disk full or read-only?)"
            self.crawler.stats.set_value("nianbao/storage_error", self.storage_error)
            stop_crawl(self.crawler, "storage_error")
        return self.storage_error

    def process_item(self, item, spider=None):
        if self.storage_error:
            return item  # not stored: the crawl is stopping (the error is logged once, below)
        try:
            return self._store(item)
        except (sqlite3.Error, OSError) as e:  # the item's transaction is rolled back whole; a file write
            # (files/ beside the archive) fails the same way on a full or read-only disk
            logger.error("%s; stopping the crawl", self._fail(e))
            return item

    def _store(self, item):
        if isinstance(item, Listed):
            self.archive.record_listed(item.url)
            self.per_site[item.site_id]["listed"] += 1
        elif isinstance(item, Unlisted):
            if self.archive.record_unlisted(item.url, item.at, self.gone_after):
                self.per_site[item.site_id]["gone"] += 1
        elif isinstance(item, NotModified):
            self.per_site[item.site_id][self.archive.record_not_modified(canonical_url(item.url), item.fetched_at)] += 1
        elif isinstance(item, CrawlError):
            self.archive.record_error(self.run_id, item.site_id, item.url, item.kind, item.message, item.at)
            self.per_site[item.site_id]["errors"] += 1
            if item.kind in ("http_404", "http_410") and self.archive.record_gone(canonical_url(item.url), item.at):
                self.per_site[item.site_id]["gone"] += 1
        elif isinstance(item, ArticlePage) and item.failure:
            self.archive.record_error(self.run_id, item.site_id, item.url, "pipeline", item.failure, item.fetched_at)
            self.per_site[item.site_id]["errors"] += 1
        elif isinstance(item, ArticlePage):
            for f in item.files:
                if f.get("body") is not None:
                    keep_file(self.files_dir, f["body"])
            outcome = self.archive.record_page(url=item.canonical_url or item.url, site_id=item.site_id,
                                               status=item.status, fetched_at=item.fetched_at, record=item.record,
                                               list_url=item.list_url, list_title=item.list_title,
                                               etag=item.headers.get("ETag"),
                                               last_modified=item.headers.get("Last-Modified"), warc=item.warc)
            self.per_site[item.site_id][outcome] += 1
            for kind, message in page_faults(item.body, item.record):
                self.archive.record_error(self.run_id, item.site_id, item.canonical_url or item.url, kind, message,
                                         item.fetched_at)
                self.per_site[item.site_id]["errors"] += 1
        return item

    def _site_row(self, site_id: str) -> dict:
        c = self.per_site.get(site_id, Counter())

        def iso(t):
            return dt.datetime.fromtimestamp(t, dt.timezone.utc).isoformat(timespec="seconds") if t else None

        first, last = self.first_seen.get(site_id), self.last_seen.get(site_id)
        return {"site_id": site_id, "requests": c["requests"], "bytes": c["bytes"],
                "pages": c["new"] + c["sighting"] + c["unchanged"] + c["changed"] + c["rejected"],
                "new": c["new"], "changed": c["changed"], "unchanged": c["unchanged"], "sightings_new": c["sighting"],
                "rejected": c["rejected"], "errors": c["errors"], "gone": c["gone"], "started_at": iso(first), "finished_at": iso(last),
                "duration_s": round(last - first, 3) if first and last else None}

    def close_spider(self, spider=None):
        if self.archive is None:
            return
        if self.storage_error:  # record how the run ended if the file still takes a write; no more
            try:
                self.archive.finish_run(self.run_id, "storage_error", 0)
                self.archive.close()
            except sqlite3.Error:
                pass
            return
        spider = spider or self.crawler.spider
        for site_id, platform in spider.platforms.items():
            self.archive.set_detected_platform(site_id, platform)
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0) or 0
        reason = stats.get_value("finish_reason", "finished")
        status = "finished" if reason in (None, "finished") else str(reason)
        self.archive.record_run_sites(self.run_id, [self._site_row(site_id) for site_id in sorted(spider.sites)])
        run = self.archive.finish_run(self.run_id, status, requests)
        self.crawler.stats.set_value("nianbao/run", run)
        if self.progress:
            for site_id in sorted(spider.sites):
                c = self.per_site.get(site_id, Counter())
                reports = c["new"] + c["sighting"] + c["unchanged"] + c["changed"]
                print(f"[{site_id}] {reports} report pages ({c['new']} new, {c['sighting']} republished, "
                      f"{c['changed']} changed), {c['rejected']} other pages, {c['errors']} errors", file=sys.stderr)
        self.archive.close()
