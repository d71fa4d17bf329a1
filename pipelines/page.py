"""The page pipeline as one pure function: bytes of an article page in, one record out.

The Scrapy pipelines run these same stages one per component; ``nianbao extract`` and
``nianbao eval`` call this function directly, so a saved page and a crawled page come out
the same.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from posixpath import basename
from urllib.parse import unquote, urlsplit

from . import attachments as files_
from . import classify, dedupe, encoding, extract, metadata, stats


@dataclass
class PageRecord:
    is_report: bool
    reject_reason: str | None
    reason: str  # why it was classified so (for accepted pages too)
    title: str | None
    agency: str | None
    source: str | None
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    level: str | None
    report_year: int | None
    published_date: str | None  # YYYY-MM-DD
    site_name: str | None
    attachments: list[dict]  # linked files: url, file_name, media_type, size, sha256, status, message, pages, text
    text: str
    content_hash: str | None
    encoding: str
    encoding_problem: str | None  # "mismatch" (declared charset wrong) or "mojibake" (undecodable)
    stats: dict | None = None  # the standard tables as canonical cells (``pipelines.stats``), None without tables
    lost: str | None = None  # what of the page the HTML parser could not read (``extract.Extracted.lost``)

    def as_dict(self) -> dict:
        return asdict(self)


SHORT_BODY = 200  # characters (white space ignored) below which a body alone cannot identify a report


def identity_hash(title: str | None, text: str, attachments: list[dict]) -> str:
    """The report's identity: its text, or for a short body (often just 见附件) title, text and files too."""
    if len(dedupe.normalise_text(text)) >= SHORT_BODY:
        return dedupe.content_hash(text)
    files = "\n".join(a["url"] for a in attachments)
    return dedupe.content_hash(f"{title or ''}\n{text}\n{files}")


def encoding_problem(decoded: encoding.Decoded, ex: extract.Extracted) -> str | None:
    """ "mojibake" (undecodable or garbled text), "mismatch" (the declared charset was wrong), or None."""
    if decoded.mojibake or encoding.is_mojibake(ex.text):
        return "mojibake"
    return "mismatch" if decoded.mismatch else None


NO_TEXT = "no body text could be extracted from the page"
_OPENED = re.compile(rb"<(html|body)[\s>]", re.I)
_CLOSED = re.compile(rb"</(html|body)\s*>", re.I)


def page_faults(body: bytes, record: PageRecord) -> list[tuple[str, str]]:
    """What was wrong with a page that arrived and is stored all the same, as ``crawl_errors`` kinds, so a
    site's broken pages show in its error counts too: ``mojibake``, ``no_text`` (a 200 with an empty
    page), ``truncated_html`` (markup that opens ``<html>``/``<body>`` and never closes either: the
    server cut it off; what arrived is kept), ``truncated_text`` (the parser stopped before the end of
    the markup: what it read is kept, the rest is not)."""
    faults = []
    lost = getattr(record, "lost", None)  # a record pickled before it had the field (a distributed worker's)
    if lost:
        faults.append(("truncated_text", lost))
    if record.encoding_problem == "mojibake":
        faults.append(("mojibake", "the text is garbled (mojibake): kept as a page, not archived as a report"))
    if record.reject_reason == NO_TEXT:
        faults.append(("no_text", "HTTP 200 with a page that holds no text"))
    if _OPENED.search(body[:65536]) and not _CLOSED.search(body[-65536:]):
        faults.append(
            (
                "truncated_html",
                f"the markup ends without </body> or </html> after {len(body):,} bytes: "
                "cut off by the server; what arrived is kept",
            )
        )
    return faults


def decide(
    decoded: encoding.Decoded,
    ex: extract.Extracted,
    meta: metadata.Metadata,
    problem: str | None = None,
    text: str | None = None,
) -> classify.Decision:
    """Classify, unless the text is garbage: mojibake is recorded as such, never archived as a report."""
    if (problem or encoding_problem(decoded, ex)) == "mojibake":
        return classify.Decision(
            False,
            f"text could not be decoded (declared {decoded.declared or 'nothing'}; "
            "tried utf-8 and gb18030): recorded, not archived",
        )
    text = ex.text if text is None else text
    if not text.strip():
        return classify.Decision(False, NO_TEXT)
    return classify.classify(meta.title, text, link_count=len(ex.links))


def read_attachments(ex: extract.Extracted, fetched: list[dict] | None) -> tuple[list[dict], list]:
    """Every file the page links, read where it was fetched: (attachment rows, their parsed files).

    ``fetched`` holds what the spider downloaded: ``{"url", "body", "error"}`` per file, with the
    server's ``etag`` and ``last_modified`` when it sent them (kept for the next conditional request),
    and ``read``: the file already read (``attachments.Converted``; the crawl reads each file in a
    process of its own, under time and memory limits), which stands in for reading ``body`` here.
    """
    by_url = {f["url"]: f for f in fetched or []}
    links = list(ex.attachments) + [
        {"url": u, "text": ""} for u in by_url if u not in {a["url"] for a in ex.attachments}
    ]
    rows, converted = [], []
    for link in links:
        name = link.get("text") or unquote(basename(urlsplit(link["url"]).path))
        row = {
            "url": link["url"],
            "file_name": name,
            "media_type": None,
            "size": None,
            "sha256": None,
            "status": "not_fetched",
            "message": None,
            "pages": None,
            "text": "",
        }
        got = by_url.get(link["url"])
        if got is not None:
            row.update(etag=got.get("etag"), last_modified=got.get("last_modified"))
        if got is not None and got.get("error"):
            row.update(status="fetch_failed", message=got["error"])
        elif got is not None and (got.get("read") is not None or got.get("body") is not None):
            conv = got.get("read") or files_.convert(got["body"])
            row.update(
                media_type=conv.media_type,
                size=conv.size,
                sha256=conv.sha256,
                status=conv.status,
                message=conv.message,
                pages=conv.pages,
                text=conv.text,
            )
            converted.append((link["url"], conv))
        rows.append(row)
    return rows, converted


def full_text(page_text: str, attachment_rows: list[dict]) -> str:
    """The report's text: the page's, then each attached file's under its name (so a report that is
    only a PDF is classified, dated and found by search like any other)."""
    parts = [page_text] if page_text else []
    parts += [f"附件：{a['file_name']}\n{a['text']}" for a in attachment_rows if a["text"]]
    return "\n\n".join(parts)


def read_stats(ex: extract.Extracted, converted: list, report_year: int | None) -> dict | None:
    """The standard tables: from the page when it has them, else from the first file that has them."""
    parsed = stats.parse(ex.tables, report_year, "page")
    for url, conv in converted:
        if parsed is not None and parsed.cells:
            break
        parsed = stats.parse(conv.grids, report_year, url) or parsed
    return parsed.as_dict() if parsed else None


def build_record(
    decoded: encoding.Decoded,
    ex: extract.Extracted,
    meta: metadata.Metadata,
    decision: classify.Decision,
    problem: str | None = None,
    text: str | None = None,
    attachment_rows: list[dict] | None = None,
    converted: list | None = None,
) -> PageRecord:
    problem = problem or encoding_problem(decoded, ex)
    text = ex.text if text is None else text
    attachment_rows = attachment_rows if attachment_rows is not None else read_attachments(ex, None)[0]
    return PageRecord(
        is_report=decision.is_report,
        reject_reason=None if decision.is_report else decision.reason,
        reason=decision.reason,
        title=meta.title,
        agency=meta.agency,
        source=meta.source,
        province=meta.province,
        city=meta.city,
        county=meta.county,
        adcode=meta.adcode,
        level=meta.level,
        report_year=meta.report_year,
        published_date=meta.published_date.isoformat() if meta.published_date else None,
        site_name=meta.site_name,
        attachments=attachment_rows,
        text=text,
        content_hash=identity_hash(meta.title, text, attachment_rows) if text else None,
        encoding=decoded.encoding,
        encoding_problem=problem,
        stats=_stats_or_why_not(read_stats(ex, converted or [], meta.report_year), decision, meta, attachment_rows),
        lost=ex.lost,
    )


def _stats_or_why_not(
    parsed: dict | None, decision: classify.Decision, meta: metadata.Metadata, attachment_rows: list[dict]
) -> dict | None:
    """A report of 2019 or later must carry the tables: when none was read, say why, never nothing."""
    if parsed is not None or not decision.is_report or not meta.report_year or meta.report_year < 2019:
        return parsed
    scans = [a["file_name"] for a in attachment_rows if a["status"] == "no_text_layer"]
    unread = [a["file_name"] for a in attachment_rows if a["status"] not in ("ok", "no_text_layer")]
    why = ["no table of the template was found in the page or its files (printed as images, or left out)"]
    if scans:
        why.append(f"a scan without a text layer may hold them: {', '.join(scans)}")
    if unread:
        why.append(f"files that could not be read may hold them: {', '.join(unread)}")
    return {"template": None, "cells": [], "problems": why, "source": None}


def process(
    body: bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    list_title: str | None = None,
    list_date: str | None = None,
    site_adcode: str | None = None,
    site_agency: str | None = None,
    files: list[dict] | None = None,
) -> PageRecord:
    """Run every stage on one page and the files it links (``files``: what was downloaded of them)."""
    decoded = encoding.decode(body, content_type)
    ex = extract.extract(decoded.text, url)
    rows, converted = read_attachments(ex, files)
    text = full_text(ex.text, rows)
    meta = metadata.metadata(ex, text, list_title, list_date, site_adcode, site_agency)
    problem = encoding_problem(decoded, ex)
    return build_record(decoded, ex, meta, decide(decoded, ex, meta, problem, text), problem, text, rows, converted)


def is_document(data: bytes) -> bool:
    """Whether bytes are an attachment-type file (PDF, Word, Excel, WPS, OFD) rather than a web page."""
    return files_.sniff(data) not in (files_.HTML, files_.UNKNOWN)


def process_document(data: bytes, url: str | None = None, *, site_adcode: str | None = None) -> PageRecord:
    """Run the pipeline on a file alone (a saved PDF or DOCX): its first line stands for the page title."""
    url = url or "file:document"
    rows, converted = read_attachments(extract.Extracted(text="", container=None), [{"url": url, "body": data}])
    text = full_text("", rows)
    first_line = next((line.strip() for line in rows[0]["text"].splitlines() if line.strip()), None)
    ex = extract.Extracted(text="", container=None, heading=first_line)
    meta = metadata.metadata(ex, text, None, None, site_adcode, None)
    decoded = encoding.Decoded(text="", encoding="binary", declared=None, mismatch=False, mojibake=False)
    return build_record(decoded, ex, meta, decide(decoded, ex, meta, None, text), None, text, rows, converted)
