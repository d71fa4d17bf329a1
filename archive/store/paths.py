"""Where an archive's companions live: one rule, written once.

An archive ``DIR/nianbao.db`` keeps its WARC evidence in ``DIR/warc/``, its downloaded files in
``DIR/files/`` and its writer's lock in ``DIR/nianbao.db.lock``, unless a directory is given
(``NIANBAO_WARC_DIR``, ``NIANBAO_FILES_DIR``, ``--warc-dir``, ``--files-dir``).
"""

from __future__ import annotations

import os
from pathlib import Path


def beside(db: str | Path, name: str) -> Path:
    """A folder beside the archive file (resolved, so a crawl started elsewhere finds the same one);
    in the working directory for a process that has no archive (a distributed worker)."""
    return Path(db).resolve().parent / name if db else Path.cwd() / name


def warc_dir(db: str | Path, configured: str | Path | None = None) -> Path:
    """Where the crawl writes WARC files and ``nianbao raw``/``reprocess`` read them."""
    return Path(configured) if configured else beside(db, "warc")


def files_dir(db: str | Path, configured: str | Path | None = None) -> Path:
    """Where downloaded files are kept by SHA-256."""
    return Path(configured) if configured else beside(db, "files")


def lock_file(db: str | Path) -> Path:
    """``DB.lock`` beside the archive's real path (a symlink to the archive names the same lock)."""
    return Path(f"{os.path.realpath(db)}.lock")
