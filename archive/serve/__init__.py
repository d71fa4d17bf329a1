"""Serve an archive read-only in Datasette, as the database ``nianbao``, with our metadata.

The file is opened immutable (no writes, no locks, so a crawl can replace it safely beside)
and named ``nianbao`` whatever its file name, so URLs such as ``/nianbao/reports.json`` are
stable for the people who script against them.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from datasette.database import Database
from datasette.utils import sqlite3

# datasette-metadata.json lives at the top of the checkout, where Datasette users look for it; the
# package holds a link to it, which a wheel ships as a copy (package data).
METADATA = Path(__file__).parent / "datasette-metadata.json"
TEMPLATES = Path(__file__).resolve().parent / "templates"  # row-nianbao-reports.html: the report page
DB_NAME = "nianbao"
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 500,
    "suggest_facets": False,  # suggestions query every column (5,000-character texts included) per page
    "allow_download": True,
    "default_page_size": 50,
    # SQLite lets go of the GIL while it works: with 3 threads, three bounded but slow queries (a
    # reader's 1 s LIKE over a 4 MB value) held every thread and the plain ones queued behind them.
    # A thread holds at most lockdown.MAX_RESULT_BYTES of rows, SQLite all threads lockdown.HEAP_BYTES.
    "num_sql_threads": 8,
}


LOG_SQL_CHARS = 300  # of a failed statement and of its parameters, in the log


def clip(text: str, size: int = LOG_SQL_CHARS) -> str:
    """Text cut to ``size`` characters for a log line, saying how much was left out."""
    return text if len(text) <= size else f"{text[:size]}… ({len(text) - size:,} more characters)"


class ServedDatabase(Database):
    """Datasette's database, logging a failed statement clipped: Datasette writes the whole SQL and
    parameters of every SQL error to stderr, so a reader's 100 KB query made a 100 KB log line."""

    async def execute(
        self, sql, params=None, truncate=False, custom_time_limit=None, page_size=None, log_sql_errors=True
    ):
        try:
            return await super().execute(
                sql,
                params,
                truncate=truncate,
                custom_time_limit=custom_time_limit,
                page_size=page_size,
                log_sql_errors=False,
            )
        except sqlite3.DatabaseError as e:
            if log_sql_errors:
                logging.getLogger(__name__).warning(
                    "SQL error: %s; sql = %s; params = %s", clip(str(e)), clip(sql), clip(repr(params))
                )
            raise


def metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))


def app(db_path: str | Path):
    """The Datasette app of an archive (datasette.app is imported here: Datasette imports this package's
    plugins while datasette.app is still loading)."""
    from datasette.app import Datasette

    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no archive here (run nianbao crawl or nianbao demo first)")
    ds = Datasette(metadata=metadata(), settings=SETTINGS, template_dir=str(TEMPLATES))
    ds.add_database(ServedDatabase(ds, path=str(db_path), is_mutable=False), name=DB_NAME)
    if "_memory" in ds.databases:  # Datasette adds it when started without files; it only confuses readers
        ds.remove_database("_memory")
    return ds


def wait_until_serving(base_url: str, seconds: float = 20) -> bool:
    """Poll a starting ``nianbao serve`` (bypassing any proxy) until it answers; False if it never does."""
    import time
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            opener.open(base_url + "/-/versions.json", timeout=2).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def asgi_from_environment():
    """The ASGI app of the archive named by ``NIANBAO_SERVE_DB``: what each uvicorn worker process builds."""
    from archive.serve.lockdown import limit_sqlite_heap

    limit_sqlite_heap()
    return app(os.environ["NIANBAO_SERVE_DB"]).app()


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", workers: int = 1) -> None:
    """Serve with uvicorn. Several workers are several processes on the same immutable file: Datasette
    renders pages in Python, so one process uses one core however many SQL threads it has."""
    import uvicorn

    app(db_path)  # fail here, with a clear message, if the archive is missing
    logging.getLogger("nianbao.progress").info("serving %s at http://%s:%s/%s", db_path, host, port, DB_NAME)
    if workers == 1:
        from archive.serve.lockdown import limit_sqlite_heap

        limit_sqlite_heap()
        uvicorn.run(app(db_path).app(), host=host, port=port, log_level="warning")
        return
    os.environ["NIANBAO_SERVE_DB"] = str(Path(db_path).resolve())
    uvicorn.run(
        "archive.serve:asgi_from_environment", factory=True, workers=workers, host=host, port=port, log_level="warning"
    )
