"""What the spider hands the pipelines, as dataclasses (Scrapy's itemadapter supports them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.page import PageRecord


def now() -> str:
    """The time an item's ``at``/``fetched_at`` holds: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class ArticlePage:
    """One fetched article page, raw, with what the list said about it and the files it links.

    What the spider hands ``crawler.pipelines.ReadPipeline``, which turns it into a ``PageRead``."""

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
    files: list[dict] = field(default_factory=list)  # linked files fetched: {"url", "body", "error", "etag", …}
    warc: tuple[str, int] | None = None  # (WARC file name, record offset) of the raw response


@dataclass
class PageRead:
    """An article page as read: what the archive stores of it, and all it stores.

    This, not the raw page or the reading's intermediates, is what a distributed worker sends its
    coordinator. ``record`` is None when the page could not be read; ``failure`` says why."""

    site_id: str
    url: str  # canonical URL (the URL fetched, when the page could not be read)
    status: int
    fetched_at: str
    record: PageRecord | None
    list_url: str | None = None
    list_title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    warc: tuple[str, int] | None = None
    files: list[bytes] = field(default_factory=list)  # bytes of the downloaded files, kept by SHA-256
    faults: list[tuple[str, str]] = field(default_factory=list)  # (kind, message): stored, yet wrong
    failure: str | None = None


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


@dataclass
class Discovered:
    """The crawl found a site's report column (the registry named only its website)."""

    site_id: str
    column: str
    via: str  # how: "portal → 信息公开 → 政府信息公开年报", "path /xxgk/ → …"
    at: str


@dataclass
class Undiscovered:
    """The crawl looked for a site's report column and found none."""

    site_id: str
    reason: str
    at: str


def page_read_of(item: ArticlePage, failure: str | None = None) -> PageRead:
    """A ``PageRead`` with the fetch facts of ``item`` and no record yet (or none: ``failure`` says why)."""
    return PageRead(
        site_id=item.site_id,
        url=item.url,
        status=item.status,
        fetched_at=item.fetched_at,
        record=None,
        list_url=item.list_url,
        list_title=item.list_title,
        etag=item.headers.get("ETag"),
        last_modified=item.headers.get("Last-Modified"),
        warc=item.warc,
        failure=failure,
    )
