"""Identity: the canonical form of a URL, and the hash of a text that ignores layout.

A report is one document however many URLs carry it, so its identity is the SHA-256 of its
text after NFKC normalisation with all white space removed (re-uploads re-wrap lines and
swap full- and half-width forms). URLs are canonicalised with w3lib (sorted query, no
fragment, normalised escapes), the same canonical form Scrapy's own fingerprints use, after
w3lib's ``url_query_cleaner`` drops the tracking parameters that share buttons and analytics
add (``utm_*``, ``spm``, WeChat's ``from``/``isappinstalled``…): they never change the page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from w3lib.url import canonicalize_url, url_query_cleaner

_SPACE = re.compile(r"\s+")
TRACKING_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "spm",
    "from",
    "isappinstalled",
    "scene",
    "clicktime",
    "enterid",
)


def canonical_url(url: str) -> str:
    if "?" in url:
        url = url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, unique=False, keep_fragments=False)
    return canonicalize_url(url, keep_fragments=False)


def normalise_text(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
