"""The page pipeline as Scrapy item pipelines, one stage each (wired in ``crawler.settings``).

Each stage fills one field of an ``ArticlePage`` with the pure function of its module, so
a crawled page comes out exactly as ``nianbao extract`` prints it. Other items (crawl
errors) pass through untouched.
"""

from __future__ import annotations

from crawler.items import ArticlePage

from . import dedupe, encoding, extract, metadata, page


class _Stage:
    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _site(self, item: ArticlePage):
        spider = self.crawler.spider if self.crawler else None
        return getattr(spider, "sites", {}).get(item.site_id)

    def process_item(self, item, spider=None):
        if isinstance(item, ArticlePage) and item.failure is None:
            try:
                self.stage(item)
            except Exception as e:  # one bad page must not stop the crawl or vanish unrecorded
                item.failure = f"{type(self).__name__}: {type(e).__name__}: {e}"[:500]
        return item

    def stage(self, item: ArticlePage) -> None:
        raise NotImplementedError


class DecodeStage(_Stage):
    """Bytes to text, deciding the charset from the bytes (``pipelines.encoding``)."""

    def stage(self, item):
        item.decoded = encoding.decode(item.body, item.headers.get("Content-Type"))


class ExtractStage(_Stage):
    """Body text and raw page facts (``pipelines.extract``)."""

    def stage(self, item):
        item.extracted = extract.extract(item.decoded.text, item.url)


class AttachmentStage(_Stage):
    """The linked files the spider fetched, into text and tables (``pipelines.attachments``)."""

    def stage(self, item):
        item.attachment_rows, item.converted = page.read_attachments(item.extracted, item.files)
        item.text = page.full_text(item.extracted.text, item.attachment_rows)


class MetadataStage(_Stage):
    """Title, agency, source, region, year and date (``pipelines.metadata``)."""

    def stage(self, item):
        site = self._site(item)
        item.metadata = metadata.metadata(item.extracted, item.text, item.list_title, item.list_date,
                                          site_adcode=site.adcode if site else None,
                                          site_agency=None)


class ClassifyStage(_Stage):
    """Annual report or not, with the reason (``pipelines.classify``)."""

    def stage(self, item):
        problem = page.encoding_problem(item.decoded, item.extracted)
        item.decision = page.decide(item.decoded, item.extracted, item.metadata, problem, item.text)
        item.record = page.build_record(item.decoded, item.extracted, item.metadata, item.decision, problem,
                                        item.text, item.attachment_rows, item.converted)


class DedupeStage(_Stage):
    """The canonical URL (the content hash is part of the record) (``pipelines.dedupe``)."""

    def stage(self, item):
        item.canonical_url = dedupe.canonical_url(item.url)
