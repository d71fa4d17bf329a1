"""The crawl's item pipelines: thin Scrapy components over the reading function and the archive.

``ReadPipeline`` reads an article page and its files with ``pipelines.page.process``, the very
function ``nianbao extract`` calls, so a crawled page comes out exactly as a saved one; a page
that cannot be read is recorded as such and the crawl goes on. It reads in worker processes
(``crawler.reading_pool``), under a time and a memory limit, while the reactor goes on
downloading. ``StoragePipeline`` writes every item through ``crawler.ledger.CrawlLedger`` (the
run, the items, the per-site counts), which a distributed crawl's coordinator uses the same way.
"""

from __future__ import annotations

import logging

from scrapy import signals

from archive.store import StorageError
from archive.store.paths import files_dir
from crawler.faults import stop_crawl
from crawler.items import ArticlePage, PageRead, page_read_of
from crawler.ledger import CrawlLedger
from crawler.reading_pool import ReadingPool, default_workers
from pipelines import page
from pipelines.dedupe import canonical_url

logger = logging.getLogger(__name__)


def read_page(item: ArticlePage, site_adcode: str | None = None) -> PageRead:
    """An article page and its downloaded files, read into what the archive stores."""
    done = page_read_of(item)
    try:
        done.record = page.process(
            item.body,
            item.url,
            item.headers.get("Content-Type"),
            list_title=item.list_title,
            list_date=item.list_date,
            site_adcode=site_adcode,
            files=item.files,
        )
    except MemoryError:  # the reading worker's memory limit (crawler.reading_pool)
        done.failure = "ReadPipeline: too_complex: reading the page needed more memory than a reader may use"
        return done
    except Exception as e:  # one page we cannot read must not stop the crawl or vanish unrecorded
        done.failure = f"ReadPipeline: {type(e).__name__}: {e}"[:500]
        return done
    done.url = canonical_url(item.url)
    done.files = [f["body"] for f in item.files if f.get("body") is not None]
    done.faults = page.page_faults(item.body, done.record)
    return done


class ReadPipeline:
    """``ArticlePage`` in, ``PageRead`` out; other items pass through.

    Pages are read by ``NIANBAO_READ_WORKERS`` worker processes (started with the spider, stopped
    with it); with 0 workers they are read here, in the reactor's thread, with no limit but the
    readers' own (for a debugger)."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        workers = settings.get("NIANBAO_READ_WORKERS")
        self.workers = default_workers() if workers is None else int(workers)
        self.timeout = settings.getfloat("NIANBAO_READ_TIMEOUT")
        self.memory_mb = settings.getint("NIANBAO_READ_MEMORY")
        self.pool: ReadingPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        if self.workers > 0:
            self.pool = ReadingPool(self.workers, self.timeout, self.memory_mb or None)

    async def process_item(self, item, spider=None):
        if not isinstance(item, ArticlePage):
            return item
        site = getattr(self.crawler.spider, "sites", {}).get(item.site_id)
        adcode = site.adcode if site else None
        if self.pool is None:
            return read_page(item, adcode)
        return await self.pool.read(item, adcode)

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool.close()
            self.pool = None


class StoragePipeline:
    """Every item into the archive named by ``NIANBAO_DB``; the run opened with the spider and closed with
    its counts. A storage error stops the crawl and is left in the stats (``nianbao/storage_error``)."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.ledger = CrawlLedger(
            settings["NIANBAO_DB"],
            files_dir(settings["NIANBAO_DB"], settings["NIANBAO_FILES_DIR"]),
            settings.getint("NIANBAO_GONE_AFTER_RUNS"),
            settings.getbool("NIANBAO_PROGRESS"),
        )

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        return pipeline

    def response_received(self, response, request, spider=None):
        self.ledger.counts.response(request.meta.get("site_id"), len(response.body))

    def _stop(self, error: StorageError) -> None:
        self.crawler.stats.set_value("nianbao/storage_error", str(error))
        stop_crawl(self.crawler, "storage_error")

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        try:
            run_id = self.ledger.open([s.as_row() for s in spider.sites.values()])
        except StorageError as e:
            self._stop(e)
            raise
        self.crawler.stats.set_value("nianbao/run_id", run_id)

    def process_item(self, item, spider=None):
        if self.ledger.storage_error:
            return item  # not stored: the crawl is stopping (the error is logged once, below)
        try:
            self.ledger.store(item)
        except StorageError as e:
            logger.error("%s; stopping the crawl", e)
            self._stop(e)
        return item

    def close_spider(self, spider=None):
        spider = spider or self.crawler.spider
        stats = self.crawler.stats
        reason = stats.get_value("finish_reason", "finished")
        run = self.ledger.close(
            "finished" if reason in (None, "finished") else str(reason),
            stats.get_value("downloader/request_count", 0) or 0,
            list(spider.sites),
            dict(spider.platforms),
        )
        if run is not None:
            stats.set_value("nianbao/run", run)
