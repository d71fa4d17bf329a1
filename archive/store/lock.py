"""One writer per archive: an exclusive lock on ``DB.lock`` held for a crawl's (or reprocess') lifetime."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .archive import StorageError
from .paths import lock_file


class ArchiveLocked(RuntimeError):
    """Another crawl is writing to this archive."""


@contextlib.contextmanager
def crawl_lock(db: str | Path):
    """An exclusive lock on ``DB.lock`` for the crawl's lifetime; the kernel drops it if we are killed."""
    path = lock_file(db)
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
        yield
