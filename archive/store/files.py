"""The file store: every downloaded file (PDF, Word, Excel …) kept once by its SHA-256.

``files/ab/abcdef…`` beside the archive (see ``paths``); a report's ``attachments`` rows name
the hash. Content addressing makes a file linked by a hundred reports one file on disk, and
lets a reader tell a damaged copy (its bytes no longer hash to its name) from a good one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
