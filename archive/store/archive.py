"""Writing to the archive: idempotent upserts, one transaction per page.

``Archive.record_page`` decides what a fetched page is for the archive — a new report, a new
sighting of a known one, an unchanged re-sighting, a changed text at a known URL, or a
rejected page — and writes it in one transaction, so a second run over the same pages
changes no counts and a crash leaves no half-written page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import sqlite_utils

from pipelines import checks

from . import schema, search


class StorageError(RuntimeError):
    """The archive (or what is written beside it) cannot be written: disk full, read-only, I/O error."""


class NotAnArchive(StorageError):
    """The file named as the archive is not a SQLite database: nothing is written to it."""


SQLITE_HEADER = b"SQLite format 3\x00"


def refuse_foreign(path: str | Path) -> None:
    """``NotAnArchive`` when ``path`` exists with content that is not SQLite (a CSV, a WARC, a typo)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise NotAnArchive(f"{path} is a directory, not an archive file") from None
    if head and head != SQLITE_HEADER:
        raise NotAnArchive(f"{path} is not a SQLite archive (it starts {head[:8]!r}); nothing was written to it")


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """INSERT in raw SQL: sqlite-utils' own insert commits (``with conn:``) and would end our transaction."""
    cols = list(row)
    cursor = db.execute(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' for _ in cols)})",
        [row[c] for c in cols],
    )
    return cursor.lastrowid


def _update(db: sqlite_utils.Database, table: str, pk: str, key, fields: dict) -> None:
    """UPDATE in raw SQL, inside the caller's transaction (see ``_insert``)."""
    db.execute(
        f"update [{table}] set {', '.join(f'[{c}] = ?' for c in fields)} where [{pk}] = ?", [*fields.values(), key]
    )


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database):
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error. Explicit, because sqlite-utils commits
    after a statement run outside an open transaction, which would split a page's rows."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def _create(path: Path) -> None:
    """A new archive appears whole: its schema is built under a temporary name and renamed into place,
    so a crawl killed while creating it leaves no file with half the tables (sqlite-utils commits
    each table it creates, so one transaction cannot hold them)."""
    tmp = path.with_name(f".{path.name}.new")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):  # from a creation killed before
        leftover.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        schema.ensure(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    os.replace(tmp, path)


class Archive:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        refuse_foreign(self.path)
        if not self.path.exists() or not self.path.stat().st_size:
            _create(self.path)
        self.db = sqlite_utils.Database(self.path)
        schema.ensure(self.db)
        self.counts: Counter = Counter()

    def close(self) -> None:
        """Fold the WAL into the file, so read-only (immutable) readers see everything."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    # -- sites and runs ------------------------------------------------------------------------

    def upsert_sites(self, rows: list[dict]) -> None:
        with transaction(self.db):
            for row in rows:
                self.db["sites"].upsert(row, pk="site_id", alter=True)

    def set_detected_platform(self, site_id: str, platform: str) -> None:
        with transaction(self.db):
            self.db["sites"].update(site_id, {"detected_platform": platform})

    def record_discovery(self, site_id: str, column: str | None, via: str, at: str) -> None:
        """What the crawl's discovery found for a site (a column, or ``None``: nothing), kept for the next
        night. A site that had a column keeps it when one night finds nothing (a portal down)."""
        with transaction(self.db):
            if column:
                self.db.execute(
                    "update sites set report_column = ?, discovered_via = ?, discovered_at = ?, "
                    "discovery_status = 'found' where site_id = ?",
                    [column, via, at, site_id],
                )
            else:
                self.db.execute(
                    "update sites set discovered_via = ?, discovered_at = ?, discovery_status = 'not_found' "
                    "where site_id = ? and report_column is null",
                    [via, at, site_id],
                )

    def start_run(self, sites: int) -> int:
        with transaction(self.db):
            # A run still "running" when a new one starts was killed: the lock guarantees it is not alive.
            self.db.execute("update crawl_runs set status = 'interrupted' where status = 'running'")
            return self.db["crawl_runs"].insert({"started_at": utcnow(), "status": "running", "sites": sites}).last_pk

    def finish_run(self, run_id: int, status: str, requests: int) -> dict:
        c = self.counts
        row = {
            "finished_at": utcnow(),
            "status": status,
            "requests": requests,
            "pages": c["pages"],
            "reports_new": c["new"],
            "reports_changed": c["changed"],
            "reports_unchanged": c["unchanged"],
            "sightings_new": c["sighting"],
            "rejected": c["rejected"],
            "errors": c["errors"],
            "gone": c["gone"],
        }
        with transaction(self.db):
            self.db["crawl_runs"].update(run_id, row)
        return self.db["crawl_runs"].get(run_id)

    def record_error(self, run_id: int | None, site_id: str, url: str, kind: str, message: str, at: str) -> None:
        with transaction(self.db):
            self.db["crawl_errors"].insert(
                {"run_id": run_id, "site_id": site_id or None, "url": url, "kind": kind, "message": message, "at": at}
            )
        self.counts["errors"] += 1

    # -- pages -------------------------------------------------------------------------------

    def record_not_modified(self, url: str, fetched_at: str) -> str:
        """A known page answered 304: it and its report were seen again, unchanged."""
        with transaction(self.db):
            self.db.execute("update pages set fetched_at = ? where url = ?", [fetched_at, url])
            self.db.execute("update sightings set last_seen_at = ? where url = ?", [fetched_at, url])
            self.db.execute(
                "update reports set last_seen_at = ? where id in (select report_id from sightings where url = ?)",
                [fetched_at, url],
            )
        self.counts["unchanged"] += 1
        return "unchanged"

    def record_listed(self, url: str) -> None:
        """A known page is still on its list (not re-fetched: not yet due), or on it again: then a page
        gone for staying off its list is back."""
        with transaction(self.db):
            reset = self.db.execute(
                "update pages set unlisted_runs = 0 where url = ? and unlisted_runs > 0 returning gone_at", [url]
            ).fetchall()
            if reset and reset[0][0] is not None:
                self._back(url)
        self.counts["listed"] += 1

    def _back(self, url: str) -> None:
        """A page that had been gone answers (or is listed) again: it, its sighting and its report are back."""
        self.db.execute("update pages set gone_at = null where url = ?", [url])
        self.db.execute("update sightings set gone_at = null where url = ?", [url])
        self.db.execute(
            "update reports set gone_at = null where id in (select report_id from sightings where url = ?)", [url]
        )

    def record_unlisted(self, url: str, at: str, gone_after: int) -> bool:
        """A page off its list for one more run; gone once that has lasted ``gone_after`` runs."""
        with transaction(self.db):
            self.db.execute("update pages set unlisted_runs = coalesce(unlisted_runs, 0) + 1 where url = ?", [url])
            row = self.db.execute("select unlisted_runs from pages where url = ?", [url]).fetchone()
        return bool(row and row[0] >= gone_after and self.record_gone(url, at))

    def record_gone(self, url: str, at: str) -> bool:
        """A known URL answered 404/410: the sighting is gone, and the report when all its sightings are.
        Nothing is deleted. Returns whether the URL was a known sighting."""
        with transaction(self.db):
            cursor = self.db.execute("update sightings set gone_at = ? where url = ? and gone_at is null", [at, url])
            if not cursor.rowcount:
                return False
            self.db.execute("update pages set gone_at = ? where url = ?", [at, url])
            self.db.execute(
                "update reports set gone_at = ? where id in (select report_id from sightings where url = ?) "
                "and not exists (select 1 from sightings s where s.report_id = reports.id "
                "and s.gone_at is null)",
                [at, url],
            )
        self.counts["gone"] += 1
        return True

    def record_page(
        self,
        *,
        url: str,
        site_id: str,
        status: int,
        fetched_at: str,
        record,
        list_url: str | None = None,
        list_title: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        warc: tuple[str, int] | None = None,
    ) -> str:
        """Store one processed page; returns what it was: new | sighting | unchanged | changed | rejected."""
        self._warc = warc or (None, None)
        with transaction(self.db):
            outcome, report_id = self._record(url, site_id, fetched_at, record, list_url, list_title)
            previous = next(self.db["pages"].rows_where("url = ?", [url], limit=1), None)
            # Fetched while off its list (the vanish check asks such pages again): it answers, but a
            # page gone for staying off its list stays gone until a list offers it again.
            off_list = not list_url and bool((previous or {}).get("unlisted_runs"))
            page = {
                "url": url,
                "site_id": site_id,
                "is_report": int(record.is_report),
                "reject_reason": record.reject_reason,
                "reason": record.reason,
                "title": record.title,
                "report_id": report_id,
                "content_hash": record.content_hash,
                "status": status,
                "encoding": record.encoding,
                "encoding_problem": record.encoding_problem,
                "fetched_at": fetched_at,
                "first_fetched_at": previous["first_fetched_at"] if previous else fetched_at,
                "etag": etag,
                "last_modified": last_modified,
                "gone_at": previous["gone_at"] if off_list else None,
                "unlisted_runs": (previous or {}).get("unlisted_runs") or 0 if not list_url else 0,
                "warc_file": self._warc[0],
                "warc_offset": self._warc[1],
            }
            if previous:
                _update(self.db, "pages", "url", url, {k: v for k, v in page.items() if k != "url"})
            else:
                _insert(self.db, "pages", page)
            if report_id is not None and record.is_report:
                self._record_attachments(report_id, url, fetched_at, record.attachments)
                self._record_stats(report_id, record.stats)
            if report_id is not None and not off_list:  # seen again: back if it had been gone
                self._back(url)
        self.counts["pages"] += 1
        self.counts[outcome] += 1
        return outcome

    def _record(self, url, site_id, fetched_at, record, list_url, list_title) -> tuple[str, int | None]:
        if not record.is_report or not record.content_hash:
            return "rejected", None
        db = self.db
        sighting = next(db["sightings"].rows_where("url = ?", [url], limit=1), None)
        same_text = next(db["reports"].rows_where("content_hash = ?", [record.content_hash], limit=1), None)
        if sighting and same_text and sighting["report_id"] == same_text["id"]:
            _update(db, "sightings", "id", sighting["id"], {"last_seen_at": fetched_at})
            _update(db, "reports", "id", same_text["id"], {"last_seen_at": fetched_at})
            return "unchanged", same_text["id"]
        if sighting and not same_text and self._sightings_of(sighting["report_id"]) == 1:
            # The text at a known URL changed: the report's current text is the new one.
            _update(
                db, "reports", "id", sighting["report_id"], {**self._report_fields(record), "last_seen_at": fetched_at}
            )
            _update(db, "sightings", "id", sighting["id"], {"last_seen_at": fetched_at})
            search.index_report(db, sighting["report_id"], record.title, record.text)
            self._add_version(sighting["report_id"], url, fetched_at, record)
            return "changed", sighting["report_id"]
        if same_text:
            report_id = same_text["id"]
            outcome = "sighting"
        else:
            report_id = _insert(
                db,
                "reports",
                {
                    **self._report_fields(record),
                    "url": url,
                    "site_id": site_id,
                    "first_seen_at": fetched_at,
                    "last_seen_at": fetched_at,
                    "sightings": 0,
                },
            )
            search.index_report(db, report_id, record.title, record.text)
            self._add_version(report_id, url, fetched_at, record)
            outcome = "new"
        if sighting:
            # A known URL now carries another text while the report's other copies keep theirs:
            # this URL's text is split off (a new or another known report), the others stay.
            previous = sighting["report_id"]
            _update(db, "sightings", "id", sighting["id"], {"report_id": report_id, "last_seen_at": fetched_at})
            self._count_sightings(previous)
            outcome = "changed"
        else:
            _insert(
                db,
                "sightings",
                {
                    "report_id": report_id,
                    "url": url,
                    "site_id": site_id,
                    "list_url": list_url,
                    "list_title": list_title,
                    "published_date": record.published_date,
                    "source": record.source,
                    "first_seen_at": fetched_at,
                    "last_seen_at": fetched_at,
                },
            )
        self._count_sightings(report_id, fetched_at)
        return outcome, report_id

    def _add_version(self, report_id: int, url: str, fetched_at: str, record) -> None:
        """Every text a report has had is kept, the first included; ``reports`` holds the current one."""
        db = self.db
        number = db.execute(
            "select coalesce(max(version), 0) + 1 from report_versions where report_id = ?", [report_id]
        ).fetchone()[0]
        warc_file, warc_offset = getattr(self, "_warc", (None, None))
        _insert(
            db,
            "report_versions",
            {
                "report_id": report_id,
                "version": number,
                "fetched_at": fetched_at,
                "url": url,
                "content_hash": record.content_hash,
                "title": record.title,
                "text": record.text,
                "warc_file": warc_file,
                "warc_offset": warc_offset,
            },
        )
        _update(
            db, "reports", "id", report_id, {"versions": number, "warc_file": warc_file, "warc_offset": warc_offset}
        )

    def _record_attachments(self, report_id: int, page_url: str, fetched_at: str, rows: list[dict]) -> None:
        """The page's files as last seen: rows of this page replaced, other pages' rows kept."""
        self.db.execute("delete from attachments where report_id = ? and page_url = ?", [report_id, page_url])
        for row in rows:
            self.db.execute("delete from attachments where report_id = ? and url = ?", [report_id, row["url"]])
            _insert(
                self.db,
                "attachments",
                {
                    "report_id": report_id,
                    "page_url": page_url,
                    "fetched_at": fetched_at,
                    **{
                        k: row.get(k)
                        for k in (
                            "url",
                            "file_name",
                            "media_type",
                            "size",
                            "sha256",
                            "status",
                            "message",
                            "pages",
                            "text",
                            "etag",
                            "last_modified",
                        )
                    },
                },
            )

    def replace_stats(self, report_id: int, stats: dict | None) -> None:
        """A stored report's tables read again (``archive.store.reprocess``): its cells, stats_* and checks."""
        with transaction(self.db):
            self._record_stats(report_id, stats)

    def _record_stats(self, report_id: int, stats: dict | None) -> None:
        """The report's table cells replaced by this reading, then its checks run again."""
        db = self.db
        db.execute("delete from report_stats where report_id = ?", [report_id])
        stats = stats or {}
        cells = stats.get("cells") or []
        for cell in cells:
            _insert(
                db,
                "report_stats",
                {"report_id": report_id, "template": stats.get("template"), "source": stats.get("source"), **cell},
            )
        _update(
            db,
            "reports",
            "id",
            report_id,
            {
                "stats_template": stats.get("template"),
                "stats_source": stats.get("source"),
                "stats_cells": len(cells),
                "stats_problems": json.dumps(stats["problems"], ensure_ascii=False) if stats.get("problems") else None,
            },
        )
        self._run_checks(report_id)

    def _cells(self, report_id: int) -> list[dict]:
        return [
            {"table": t, "row": r, "column": c, "value": v}
            for t, r, c, v in self.db.execute(
                "select [table], row, [column], value from report_stats where report_id = ?", [report_id]
            ).fetchall()
        ]

    def _run_checks(self, report_id: int) -> None:
        """Checks of this report, and across years with the same body's reports of the years around it."""
        db = self.db
        db.execute("delete from stats_checks where report_id = ? or other_report_id = ?", [report_id, report_id])
        row = db.execute(
            "select agency, adcode, report_year, stats_template from reports where id = ?", [report_id]
        ).fetchone()
        if row is None or row[3] is None:
            return
        agency, adcode, year, template = row
        cells = self._cells(report_id)
        failures = [(report_id, None, f) for f in checks.within(template, cells)]
        if year is not None and agency:
            for other_id, other_year in db.execute(
                "select id, report_year from reports where agency = ? and adcode is ? and report_year in (?, ?) "
                "and id != ? and stats_cells > 0",
                [agency, adcode, year - 1, year + 1, report_id],
            ).fetchall():
                if other_year == year - 1:
                    failures += [(report_id, other_id, f) for f in checks.across_years(cells, self._cells(other_id))]
                else:
                    failures += [(other_id, report_id, f) for f in checks.across_years(self._cells(other_id), cells)]
        for rid, other, f in failures:
            _insert(
                db,
                "stats_checks",
                {
                    "report_id": rid,
                    "other_report_id": other,
                    **{**f, "numbers": json.dumps(f["numbers"], ensure_ascii=False)},
                },
            )

    def record_run_sites(self, run_id: int, rows: list[dict]) -> None:
        with transaction(self.db):
            for row in rows:
                self.db["crawl_run_sites"].insert({"run_id": run_id, **row})

    def _sightings_of(self, report_id: int) -> int:
        return self.db.execute("select count(*) from sightings where report_id = ?", [report_id]).fetchone()[0]

    def _count_sightings(self, report_id: int, seen_at: str | None = None) -> None:
        self.db.execute(
            "update reports set sightings = (select count(*) from sightings where report_id = reports.id), "
            "last_seen_at = max(last_seen_at, coalesce(?, last_seen_at)) where id = ?",
            [seen_at, report_id],
        )

    @staticmethod
    def _report_fields(record) -> dict:
        return {
            k: getattr(record, k)
            for k in (
                "title",
                "agency",
                "source",
                "province",
                "city",
                "county",
                "adcode",
                "level",
                "report_year",
                "published_date",
                "text",
                "content_hash",
            )
        }
