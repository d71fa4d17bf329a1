"""Identity: the canonical form of a URL, and the hash of a text that ignores layout.

A report is one document however many URLs carry it, so its identity is the SHA-256 of its
text after NFKC normalisation with all white space removed (re-uploads re-wrap lines and
swap full- and half-width forms). URLs are canonicalised with w3lib (sorted query, no
fragment, normalised escapes), the same canonical form Scrapy's own fingerprints use.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from w3lib.url import canonicalize_url

_SPACE = re.compile(r"\s+")


def canonical_url(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def normalise_text(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
