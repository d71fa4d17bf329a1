"""What the spider hands the pipelines, as dataclasses (Scrapy's itemadapter supports them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticlePage:
    """One fetched article page, raw, plus what the list said about it; stages fill the rest."""

    url: str  # final URL, after redirects
    requested_url: str
    site_id: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    list_url: str | None = None
    list_title: str | None = None
    list_date: str | None = None
    files: list[dict] = field(default_factory=list)  # linked files fetched: {"url", "body", "error"}
    # Filled by the pipeline stages, in order.
    decoded: Any = None  # pipelines.encoding.Decoded
    extracted: Any = None  # pipelines.extract.Extracted
    attachment_rows: Any = None  # pipelines.page.read_attachments: one row per linked file
    converted: Any = None  # the parsed files (text, tables) of those rows
    text: str | None = None  # page text plus the files' text
    metadata: Any = None  # pipelines.metadata.Metadata
    decision: Any = None  # pipelines.classify.Decision
    record: Any = None  # pipelines.page.PageRecord
    canonical_url: str | None = None
    failure: str | None = None  # set by the stage that could not process the page
    warc: tuple[str, int] | None = None  # (WARC file name, record offset) of the raw response


@dataclass
class NotModified:
    """A known article answered 304 to our conditional request: seen again, unchanged."""

    site_id: str
    url: str
    fetched_at: str


@dataclass
class Listed:
    """A known page, not yet due for a re-fetch, is still on its site's list."""

    site_id: str
    url: str
    at: str


@dataclass
class Unlisted:
    """A known page left its completely read list this run (it still answered, or it is gone)."""

    site_id: str
    url: str
    at: str


@dataclass
class CrawlError:
    """A request that ended without a page: kind is a short code (http_404, dns, timeout, refused…)."""

    site_id: str
    url: str
    kind: str
    message: str
    at: str
    extra: dict = field(default_factory=dict)
