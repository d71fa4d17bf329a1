"""Decide a page's encoding from its bytes, not from what it claims.

Government sites declare charsets wrongly all the time: a GBK page whose header names no
charset and whose ``<meta>`` says UTF-8 (a template copied from another site), ``gb2312``
for text with characters outside GB 2312, ISO-8859-1 defaults from the web server. w3lib
parses the declarations (header, BOM, meta) but then decodes with replacement characters,
which would archive garbage in silence; so each declared candidate is tried *strictly*, in
order, and only when none fits do we ask charset-normalizer to detect from the bytes. The GB
family is always decoded as gb18030, its superset. A declared Big5 (or Japanese/Korean)
charset can decode GBK bytes without error into garbage; when gb18030 fits the bytes too,
charset-normalizer chooses between the two.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Declarations that say little: servers send them by default, whatever the bytes are.
_WEAK = {"iso8859-1", "latin-1", "latin1", "iso-8859-1", "windows-1252", "cp1252", "ascii", "us-ascii"}
_GB = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "euc-cn", "cp936", "hz-gb-2312", "gb2312-80"}
_OTHER_CJK = {"big5", "big5hkscs", "cp950", "euc_jp", "shift_jis", "cp932", "euc_kr", "cp949", "iso2022_jp"}
MOJIBAKE_SHARE = 0.01  # replacement characters per character above which a text is garbage


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what we decoded with
    declared: str | None  # what the page claimed first (header, else meta), normalised
    mismatch: bool  # the declaration did not fit the bytes
    mojibake: bool  # no encoding fitted: the text holds replacement characters


def normalise(name: str | None) -> str | None:
    """A codec name Python knows, with the GB family mapped to gb18030; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML (or JSON/XML) body: BOM, then declarations that fit, then detection."""
    bom_encoding, _ = read_bom(body)
    header = normalise(http_content_type_encoding(content_type or ""))
    meta = normalise(html_body_declared_encoding(body[:8192]))
    declared = header or meta
    candidates = [normalise(bom_encoding)] if bom_encoding else []
    strong = [e for e in (header, meta) if e and e not in _WEAK]
    candidates += strong + ["utf-8", "gb18030"] + [e for e in (header, meta) if e and e in _WEAK]
    for encoding in dict.fromkeys(c for c in candidates if c):
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding not in strong and encoding == "gb18030" and _looks_wrong(text):
            continue  # a guess that "fits" only because gb18030 accepts nearly anything
        if encoding in _OTHER_CJK and _gb18030_reads_better(body, encoding):
            continue  # a GBK page declared as Big5: both decode, only one is Chinese
        if bom_encoding and text.startswith("\ufeff"):
            text = text[1:]
        return Decoded(text, encoding, declared, mismatch=bool(declared and declared != encoding), mojibake=False)
    best = charset_normalizer.from_bytes(body).best()
    encoding = normalise(best.encoding) if best else "utf-8"
    text = body.decode(encoding or "utf-8", errors="replace")
    bad = text.count("\ufffd") / max(1, len(text))
    return Decoded(text, encoding or "utf-8", declared, mismatch=True, mojibake=bad > MOJIBAKE_SHARE)


def _gb18030_reads_better(body: bytes, declared: str) -> bool:
    try:
        body.decode("gb18030")
    except UnicodeDecodeError:
        return False
    best = charset_normalizer.from_bytes(body, cp_isolation=[declared, "gb18030"]).best()
    return bool(best) and normalise(best.encoding) == "gb18030"


def _looks_wrong(text: str) -> bool:
    """gb18030 decodes almost any bytes; a text of mostly rare CJK Extension characters is not Chinese."""
    rare = sum(1 for ch in text if "\u3400" <= ch <= "\u4dbf" or "\ue000" <= ch <= "\uf8ff")
    return rare > max(20, len(text) // 50)


def is_mojibake(text: str) -> bool:
    """Text that was decoded with the wrong codec: replacement characters, or UTF-8 read as Latin-1/GBK."""
    if not text:
        return False
    if text.count("\ufffd") / len(text) > MOJIBAKE_SHARE:
        return True
    latin = sum(1 for ch in text if "\u00c0" <= ch <= "\u00ff")
    return latin > max(10, len(text) // 20)
