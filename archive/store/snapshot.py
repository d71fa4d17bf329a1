"""What a crawl reads of the archive before it starts: known pages, kept files, finished sites.

Read-only (``mode=ro``), so a crawl's planning never writes; an archive that does not exist
yet, or predates a column, reads as empty. The single-process spider reads these directly;
a distributed crawl's coordinator reads them once and publishes them to its workers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _rows(db_path: str | Path | None, sql: str) -> list[tuple]:
    if not db_path or not Path(db_path).exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def known_articles(db_path: str | Path | None, site_ids: set[str]) -> dict[str, dict]:
    """Pages the archive already holds for these sites, with their validators (ETag, Last-Modified)."""
    rows = _rows(db_path, "select url, site_id, etag, last_modified, fetched_at from pages where gone_at is null")
    return {
        url: {"site_id": site, "etag": etag, "last_modified": lm, "fetched_at": fetched}
        for url, site, etag, lm, fetched in rows
        if site in site_ids
    }


def known_files(db_path: str | Path | None) -> dict[str, dict]:
    """Files the archive holds bytes of, by URL, with the validators their server sent (ETag, Last-Modified)."""
    rows = _rows(
        db_path,
        "select url, sha256, etag, last_modified from attachments where sha256 is not null "
        "and (etag is not null or last_modified is not null) order by fetched_at",
    )
    return {url: {"sha256": sha, "etag": etag, "last_modified": lm} for url, sha, etag, lm in rows}


def finished_sites(db_path: str | Path | None) -> set[str]:
    """Sites that a crawl has finished before: only their lists may be cut short when nothing is new
    (after an interrupted first crawl, the older pages of a list may never have been read)."""
    rows = _rows(
        db_path,
        "select distinct s.site_id from crawl_run_sites s join crawl_runs r "
        "on r.id = s.run_id where r.status = 'finished'",
    )
    return {r[0] for r in rows}


def discovered_columns(db_path: str | Path | None) -> dict[str, str]:
    """Report columns an earlier crawl found for sites whose registry row names only a website."""
    rows = _rows(db_path, "select site_id, report_column from sites where report_column is not null")
    return dict(rows)
