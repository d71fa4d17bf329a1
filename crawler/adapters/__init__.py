"""Platform adapters, one module per CMS family; ``detect`` fingerprints a page for ``auto``.

Each module has ``NAME``, ``detect(url, text)`` and ``parse(url, text, request_body)``.
Detection tries the specific families first and falls back to ``generic``.
"""

from __future__ import annotations

from . import generic, gkmlpt, hanweb, jsapi, trs, ucap

ADAPTERS = {m.NAME: m for m in (trs, hanweb, gkmlpt, ucap, jsapi, generic)}
DETECTION_ORDER = (hanweb, gkmlpt, ucap, trs, jsapi, generic)


def detect(url: str, text: str):
    """The adapter whose fingerprint the page carries."""
    return next(m for m in DETECTION_ORDER if m.detect(url, text))


def get(name: str):
    return ADAPTERS[name]
