"""One writer per archive: an exclusive lock on ``DB.lock`` held for a crawl's (or reprocess') lifetime.

The lock file is named after the archive's real path, so a symlinked ``--db`` and a relative one
take the same lock. Every way in takes it: ``nianbao crawl`` (before Scrapy starts, so a refusal
is one line), ``scrapy crawl reports`` (when the crawl's ledger opens the archive), a distributed
crawl's coordinator and ``nianbao reprocess``. Within one process it is re-entrant: the crawl's
ledger opening the archive ``nianbao crawl`` already locked is not a second writer.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .archive import StorageError
from .paths import lock_file

_held: dict[str, int] = {}  # lock files this process holds, by real path: how many holders


class ArchiveLocked(StorageError):
    """Another crawl is writing to this archive."""


@contextlib.contextmanager
def crawl_lock(db: str | Path):
    """An exclusive lock on ``DB.lock`` for the crawl's lifetime; the kernel drops it if we are killed."""
    path = lock_file(db)
    key = str(path)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        f = open(path, "a+")
    except OSError as e:
        raise StorageError(f"cannot write the lock file beside the archive: {e}") from None
    with f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ArchiveLocked(f"another crawl is running on {db} (lock {path}); not starting a second") from None
        f.seek(0)
        f.truncate()
        f.write(f"{os.getpid()}\n")
        f.flush()
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
