"""One crawl's record in the archive: the run row, every item the crawl stores, and its counts per site.

A plain class, so the single-process crawl (``crawler.pipelines.StoragePipeline``, a thin Scrapy
component over it) and a distributed crawl's coordinator (``crawler.distributed.coordinator``)
write through the same code: whatever storing an item means, it means it once.

When the archive cannot be written (disk full, read-only file, I/O error) the item's
transaction is rolled back whole and ``store`` raises ``StorageError``; the first message is
kept in ``storage_error`` and the run is closed as ``storage_error``. Going on would only
fetch pages we cannot keep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import time
from collections import Counter, defaultdict
from pathlib import Path

from archive.store import Archive, StorageError
from archive.store.files import keep_file
from archive.store.lock import crawl_lock
from crawler.items import CrawlError, Discovered, Listed, NotModified, PageRead, Undiscovered, Unlisted
from pipelines.dedupe import canonical_url

progress = logging.getLogger("nianbao.progress")


def _iso(t: float | None) -> str | None:
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds") if t else None


class SiteCounts:
    """Per-site counts of one crawl (requests, bytes, what became of each page) and when each site
    answered first and last. A distributed worker counts its responses in one and sends it to the
    coordinator, which merges it into the run's."""

    def __init__(self):
        self.per_site: dict[str, Counter] = defaultdict(Counter)
        self.first_seen: dict[str, float] = {}
        self.last_seen: dict[str, float] = {}

    def response(self, site_id: str | None, nbytes: int) -> None:
        if site_id:
            c = self.per_site[site_id]
            c["requests"] += 1
            c["bytes"] += nbytes
            now = time.time()
            self.first_seen.setdefault(site_id, now)
            self.last_seen[site_id] = now

    def add(self, site_id: str, key: str, n: int = 1) -> None:
        self.per_site[site_id][key] += n

    def as_message(self) -> dict:
        return {
            "per_site": {k: dict(v) for k, v in self.per_site.items()},
            "first_seen": dict(self.first_seen),
            "last_seen": dict(self.last_seen),
        }

    def merge(self, message: dict) -> None:
        """Another process's counts (``as_message``), added to these."""
        for site_id, counts in message["per_site"].items():
            self.per_site[site_id].update(counts)
        for site_id, t in message["first_seen"].items():
            self.first_seen[site_id] = min(t, self.first_seen.get(site_id, t))
        for site_id, t in message["last_seen"].items():
            self.last_seen[site_id] = max(t, self.last_seen.get(site_id, t))

    def site_row(self, site_id: str) -> dict:
        """The ``crawl_run_sites`` row of a site."""
        c = self.per_site.get(site_id, Counter())
        first, last = self.first_seen.get(site_id), self.last_seen.get(site_id)
        return {
            "site_id": site_id,
            "requests": c["requests"],
            "bytes": c["bytes"],
            "pages": c["new"] + c["sighting"] + c["unchanged"] + c["changed"] + c["rejected"],
            "new": c["new"],
            "changed": c["changed"],
            "unchanged": c["unchanged"],
            "sightings_new": c["sighting"],
            "rejected": c["rejected"],
            "errors": c["errors"],
            "gone": c["gone"],
            "started_at": _iso(first),
            "finished_at": _iso(last),
            "duration_s": round(last - first, 3) if first and last else None,
        }

    def summary(self, site_id: str) -> str:
        c = self.per_site.get(site_id, Counter())
        reports = c["new"] + c["sighting"] + c["unchanged"] + c["changed"]
        return (
            f"[{site_id}] {reports} report pages ({c['new']} new, {c['sighting']} republished, "
            f"{c['changed']} changed), {c['rejected']} other pages, {c['errors']} errors"
        )


class CrawlLedger:
    """Opens the archive and a ``crawl_runs`` row, stores each item, counts it, and closes the run.

    It holds the archive's lock from ``open`` to ``close``: whichever way a crawl was started
    (``nianbao crawl``, ``scrapy crawl reports``, a distributed crawl), one writes at a time."""

    def __init__(self, db_path: str | Path, files_dir: Path, gone_after: int, progress: bool = False):
        self.db_path, self.files_dir, self.gone_after, self.progress = db_path, files_dir, gone_after, progress
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.counts = SiteCounts()
        self.storage_error: str | None = None
        self._lock = contextlib.ExitStack()

    def _failed(self, error: Exception) -> StorageError:
        """Remember the first storage error: the crawl stops, and the run ends as ``storage_error``."""
        if self.storage_error is None:
            self.storage_error = f"cannot write the archive {self.db_path}: {error} (disk full or read-only?)"
        return StorageError(self.storage_error)

    def open(self, site_rows: list[dict]) -> int:
        try:
            self._lock.enter_context(crawl_lock(self.db_path))
            self.archive = Archive(self.db_path)
            self.archive.upsert_sites(site_rows)
            self.run_id = self.archive.start_run(len(site_rows))
        except StorageError as e:  # locked by another crawl, or not an archive: said as it is
            self.storage_error = str(e)
            self.archive = None
            self._lock.close()
            raise
        except sqlite3.Error as e:
            self._lock.close()
            raise self._failed(e) from e
        return self.run_id

    def store(self, item) -> None:
        """One item into the archive, in its own transaction; ``StorageError`` when the archive cannot be
        written (the item is rolled back whole; a file write under files/ fails the same way)."""
        if self.storage_error:
            raise StorageError(self.storage_error)
        try:
            self._store(item)
        except (sqlite3.Error, OSError) as e:
            raise self._failed(e) from e

    def record_error(self, site_id: str, url: str, kind: str, message: str, at: str) -> None:
        self.archive.record_error(self.run_id, site_id, url, kind, message, at)
        self.counts.add(site_id, "errors")

    def _store(self, item) -> None:
        archive, count = self.archive, self.counts.add
        if isinstance(item, Listed):
            archive.record_listed(item.url)
            count(item.site_id, "listed")
        elif isinstance(item, Unlisted):
            if archive.record_unlisted(item.url, item.at, self.gone_after):
                count(item.site_id, "gone")
        elif isinstance(item, NotModified):
            count(item.site_id, archive.record_not_modified(canonical_url(item.url), item.fetched_at))
        elif isinstance(item, CrawlError):
            self.record_error(item.site_id, item.url, item.kind, item.message, item.at)
            if item.kind in ("http_404", "http_410") and archive.record_gone(canonical_url(item.url), item.at):
                count(item.site_id, "gone")
        elif isinstance(item, PageRead) and item.record is None:
            self.record_error(item.site_id, item.url, "pipeline", item.failure or "not read", item.fetched_at)
        elif isinstance(item, PageRead):
            for body in item.files:
                keep_file(self.files_dir, body)
            outcome = archive.record_page(
                url=item.url,
                site_id=item.site_id,
                status=item.status,
                fetched_at=item.fetched_at,
                record=item.record,
                list_url=item.list_url,
                list_title=item.list_title,
                etag=item.etag,
                last_modified=item.last_modified,
                warc=item.warc,
            )
            count(item.site_id, outcome)
            for kind, message in item.faults:
                self.record_error(item.site_id, item.url, kind, message, item.fetched_at)
        elif isinstance(item, Discovered):
            archive.record_discovery(item.site_id, item.column, item.via, item.at)
        elif isinstance(item, Undiscovered):
            archive.record_discovery(item.site_id, None, item.reason, item.at)
        else:
            raise TypeError(f"not an item the archive stores: {type(item).__name__}")

    def close(self, status: str, requests: int, site_ids: list[str], platforms: dict[str, str]) -> dict | None:
        """Close the run with its counts; returns the ``crawl_runs`` row (None after a storage error)."""
        with self._lock:  # released however the run ends
            return self._close(status, requests, site_ids, platforms)

    def _close(self, status: str, requests: int, site_ids: list[str], platforms: dict[str, str]) -> dict | None:
        if self.archive is None:
            return None
        if self.storage_error:  # record how the run ended if the file still takes a write; no more
            try:
                self.archive.finish_run(self.run_id, "storage_error", 0)
                self.archive.close()
            except sqlite3.Error:
                pass
            return None
        for site_id, platform in platforms.items():
            self.archive.set_detected_platform(site_id, platform)
        self.archive.record_run_sites(self.run_id, [self.counts.site_row(site_id) for site_id in sorted(site_ids)])
        run = self.archive.finish_run(self.run_id, status, requests)
        if self.progress:
            for site_id in sorted(site_ids):
                progress.info(self.counts.summary(site_id))
        self.archive.close()
        return run
