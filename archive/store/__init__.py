"""The store: the SQLite archive, its search index, the kept files and the WARC evidence.

Everything that reads or writes what the archive keeps on disk lives here, below the crawl
and the reading room: ``Archive`` (writes, one transaction per page), ``schema``,
``search`` (the bigram index), ``files`` (downloaded files by SHA-256), ``evidence``
(reading WARC records back), ``paths`` (where ``warc/`` and ``files/`` sit), ``lock`` (one
writer per archive) and ``snapshot`` (what a crawl reads of the archive before it starts).
"""

from __future__ import annotations

from .archive import Archive, StorageError

__all__ = ["Archive", "StorageError"]
