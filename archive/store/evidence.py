"""Reading the WARC evidence back: the bytes a server sent, from a record's file and offset.

The crawl writes every response into a WARC file (``crawler.warc``); the archive points each
page and version at its record as ``(warc_file, warc_offset)``. ``nianbao raw`` and
``reprocess`` read those records here, through warcio.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def read_payload(path: Path, offset: int) -> tuple[str, bytes]:
    """The target URI and the body of the record at ``offset`` (a response, or a revisit's original)."""
    target, _, body = read_response(path, offset)
    return target, body


def read_response(path: Path, offset: int) -> tuple[str, str | None, bytes]:
    """The target URI, the Content-Type the server sent and the body of the record at ``offset``."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f)))
        content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
        return record.rec_headers.get_header("WARC-Target-URI"), content_type, record.content_stream().read()


def locate(
    db_path: str | Path, report_id: int, version: int | None = None
) -> tuple[int, str | None, int | None, str] | None:
    """Where a report's version (default: the current one) is kept: (version, WARC file, offset, URL),
    read without writing to the archive; None when there is no such report or version."""
    sql = "select version, warc_file, warc_offset, url from report_versions where report_id = ?"
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        if version:
            return conn.execute(sql + " and version = ?", [report_id, version]).fetchone()
        return conn.execute(sql + " order by version desc limit 1", [report_id]).fetchone()
    finally:
        conn.close()
