"""The page pipeline as one pure function: bytes of an article page in, one record out.

The Scrapy pipelines run these same stages one per component; ``nianbao extract`` and
``nianbao eval`` call this function directly, so a saved page and a crawled page come out
the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

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
    attachments: list[dict]  # {"url", "text"} of linked files
    text: str
    content_hash: str | None
    encoding: str
    encoding_problem: str | None  # "mismatch" (declared charset wrong) or "mojibake" (undecodable)
    stats: dict | None = None  # the standard tables as canonical cells (``pipelines.stats``), None without tables

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
    """"mojibake" (undecodable or garbled text), "mismatch" (the declared charset was wrong), or None."""
    if decoded.mojibake or encoding.is_mojibake(ex.text):
        return "mojibake"
    return "mismatch" if decoded.mismatch else None


def decide(decoded: encoding.Decoded, ex: extract.Extracted, meta: metadata.Metadata,
           problem: str | None = None) -> classify.Decision:
    """Classify, unless the text is garbage: mojibake is recorded as such, never archived as a report."""
    if (problem or encoding_problem(decoded, ex)) == "mojibake":
        return classify.Decision(False, f"text could not be decoded (declared {decoded.declared or 'nothing'}; "
                                        "tried utf-8 and gb18030): recorded, not archived")
    if not ex.text.strip():
        return classify.Decision(False, "no body text could be extracted from the page")
    return classify.classify(meta.title, ex.text, link_count=len(ex.links))


def build_record(decoded: encoding.Decoded, ex: extract.Extracted, meta: metadata.Metadata,
                 decision: classify.Decision, problem: str | None = None) -> PageRecord:
    problem = problem or encoding_problem(decoded, ex)
    return PageRecord(
        is_report=decision.is_report, reject_reason=None if decision.is_report else decision.reason,
        reason=decision.reason, title=meta.title, agency=meta.agency, source=meta.source,
        province=meta.province, city=meta.city, county=meta.county, adcode=meta.adcode, level=meta.level,
        report_year=meta.report_year,
        published_date=meta.published_date.isoformat() if meta.published_date else None,
        site_name=meta.site_name, attachments=ex.attachments, text=ex.text,
        content_hash=identity_hash(meta.title, ex.text, ex.attachments) if ex.text else None,
        encoding=decoded.encoding, encoding_problem=problem,
        stats=read_stats(ex.tables, meta.report_year, "page"))


def read_stats(grids, report_year: int | None, source: str) -> dict | None:
    parsed = stats.parse(grids, report_year, source)
    return parsed.as_dict() if parsed else None


def process(body: bytes, url: str | None = None, content_type: str | None = None, *, list_title: str | None = None,
            list_date: str | None = None, site_adcode: str | None = None,
            site_agency: str | None = None) -> PageRecord:
    """Run every stage on one page: decode, extract, metadata, classify."""
    decoded = encoding.decode(body, content_type)
    ex = extract.extract(decoded.text, url)
    meta = metadata.metadata(ex, ex.text, list_title, list_date, site_adcode, site_agency)
    problem = encoding_problem(decoded, ex)
    return build_record(decoded, ex, meta, decide(decoded, ex, meta, problem), problem)
