"""Run the ``reports`` spider over a registry into an archive, from Python (the CLI calls this).

Scrapy's ``CrawlerProcess`` with the project settings, plus the options of ``nianbao crawl``.
Proxies come from the standard ``http_proxy``/``https_proxy``/``no_proxy`` variables, which
Scrapy's HttpProxyMiddleware reads. One crawl per process: Twisted's reactor cannot restart.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from archive.store import StorageError
from archive.store.archive import refuse_foreign
from archive.store.lock import crawl_lock
from crawler import adapters, registry
from crawler.spiders.reports import ReportsSpider


def crawl_settings(
    sites: str | Path,
    db: str | Path,
    allow_private: bool = False,
    progress: bool = True,
    log_level: str = "WARNING",
    overrides: dict | None = None,
):
    settings = get_project_settings()
    if not settings.get("BOT_NAME") == "nianbao":  # run outside the checkout: load ours explicitly
        settings.setmodule("crawler.settings", priority="project")
    settings.setdict(
        {
            "NIANBAO_SITES": str(sites),
            "NIANBAO_DB": str(db),
            "NIANBAO_ALLOW_PRIVATE": allow_private,
            "NIANBAO_PROGRESS": progress,
            "LOG_LEVEL": log_level,
            **(overrides or {}),
        },
        priority="cmdline",
    )
    return settings


def run_crawl(
    sites: str | Path,
    db: str | Path,
    allow_private: bool = False,
    progress: bool = True,
    log_level: str = "WARNING",
    overrides: dict | None = None,
) -> dict:
    """Crawl every site of the registry into the archive; returns the ``crawl_runs`` row.

    What can be refused before the crawl starts is, in one line: a registry that cannot be read
    (``RegistryError``), a file that is not an archive, an archive another crawl holds."""
    check_inputs(sites, db)
    with crawl_lock(db):
        return _run(sites, db, allow_private, progress, log_level, overrides)


def check_inputs(sites: str | Path, db: str | Path) -> None:
    """The registry reads (rows may still be rejected one by one) and the archive is SQLite or new."""
    registry.load(sites, tuple(adapters.ADAPTERS))
    refuse_foreign(db)


def _run(sites, db, allow_private, progress, log_level, overrides) -> dict:
    process = CrawlerProcess(crawl_settings(sites, db, allow_private, progress, log_level, overrides))
    crawler = process.create_crawler(ReportsSpider)
    done = process.crawl(crawler, sites=str(sites))
    # An archive that cannot be opened for writing aborts the crawl; the stats keep the message, reported below.
    done.addErrback(lambda failure: None if failure.check(StorageError) else failure)
    process.start()
    storage_error = crawler.stats.get_value("nianbao/storage_error")
    if storage_error:
        raise StorageError(storage_error)
    run = crawler.stats.get_value("nianbao/run")
    if run is None:
        raise RuntimeError("the crawl ended before the archive was opened (see the log above)")
    return run
