"""Scrapy settings of the nianbao crawler: polite by default, everything overridable.

Government servers are small and often slow; we crawl like a considerate reader: two
requests at a time per site, AutoThrottle on, robots.txt obeyed, a User-Agent that says who
we are and where to complain, and retries for the errors that pass.
"""

from __future__ import annotations

from dataclasses import dataclass

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"


@dataclass(frozen=True)
class Setting:
    """One of nianbao's own settings: declared here once, read everywhere else without a default."""

    name: str
    default: object
    help: str
    env: str | None = None  # the environment variable the command line reads it from, if any


# nianbao's own settings: the one table (lower-case names: Scrapy loads only the upper-case ones).
# ``nianbao settings`` prints it; docs/settings.md is made from it. Override any of them like a
# Scrapy setting: ``-s NAME=VALUE``, or a ``nianbao crawl`` option.
nianbao_settings = (
    Setting("NIANBAO_DB", "nianbao.db", "The archive the crawl writes (SQLite); warc/ and files/ sit beside it."),
    Setting("NIANBAO_SITES", None, "Path of the registry CSV (``-a sites=…``, ``nianbao crawl --sites``)."),
    Setting(
        "NIANBAO_CONTACT_URL",
        "https://github.com/nianbao/nianbao",
        "Where webmasters reach whoever runs the crawl; goes into the User-Agent.",
        env="NIANBAO_CONTACT_URL",
    ),
    Setting("NIANBAO_ALLOW_PRIVATE", False, "Allow requests to private and loopback addresses."),
    Setting("NIANBAO_PROGRESS", False, "Log a line per site (platform found, pages stored) on the progress log."),
    Setting("NIANBAO_WARC_DIR", None, "Where WARC evidence is written (default: warc/ beside the archive)."),
    Setting(
        "NIANBAO_FILES_DIR", None, "Where downloaded files are kept by SHA-256 (default: files/ beside the archive)."
    ),
    Setting(
        "NIANBAO_REFETCH_DAYS", 7, "A known page still listed is fetched again (conditionally) after this many days."
    ),
    Setting("NIANBAO_GONE_AFTER_RUNS", 3, "A page that answers but stays off its list this many runs is marked gone."),
    Setting("NIANBAO_MAX_LIST_PAGES", 500, "List pages read per site: a cap against pagination and calendar traps."),
    Setting("NIANBAO_MAX_LIST_DEPTH", 100, "List pages reached one from another: a cap against endless 下一页 chains."),
    Setting("NIANBAO_ATTACHMENTS", True, "Fetch the files (PDF, Word, Excel, WPS, OFD) an article page links."),
    Setting("NIANBAO_MAX_ATTACHMENTS", 5, "Files fetched per page: more links than this are recorded, not fetched."),
    Setting("NIANBAO_ATTACHMENT_MAXSIZE", 20 * 1024 * 1024, "Bytes; a bigger file is recorded as too large."),
    Setting(
        "NIANBAO_READ_WORKERS",
        None,
        "Processes that read pages and files while the crawl downloads (default: one a CPU; 0: read in the "
        "crawl's own process, without the time and memory limits).",
    ),
    Setting(
        "NIANBAO_READ_TIMEOUT",
        60,
        "Seconds one file, or one page with its files read, may take to read; past them the worker is killed and "
        "the file recorded as too_complex (a page: as not read).",
    ),
    Setting(
        "NIANBAO_READ_MEMORY",
        1024,
        "MB of address space a reading worker may use (RLIMIT_AS); past it the file is too_complex. 0: no limit.",
    ),
    Setting("NIANBAO_RETRY_BACKOFF", 2.0, "Seconds before the first retry, doubled for each next one."),
    Setting(
        "NIANBAO_MAX_RETRY_AFTER", 120, "A Retry-After up to this many seconds is waited for; a longer one gives up."
    ),
    Setting(
        "NIANBAO_BLOCKED_LIMIT", 3, "Anti-bot challenges (HTTP 412) from one site after which it is not asked again."
    ),
    Setting(
        "REDIS_URL",
        None,
        "The Redis of a distributed crawl (``nianbao crawl --redis``, ``nianbao worker``).",
        env="REDIS_URL",
    ),
    Setting("NIANBAO_REDIS_PREFIX", "nianbao", "Distributed crawl: prefix of its Redis keys."),
    Setting("NIANBAO_REDIS_CRAWL", None, "Distributed crawl: the token of the crawl a worker joined (set by it)."),
    Setting("NIANBAO_WORKER_ID", None, "Distributed crawl: this worker's name (set by it: host and process id)."),
    Setting(
        "NIANBAO_REDIS_ORPHAN_S", 30, "Distributed crawl: a worker gives up after its coordinator is gone this long."
    ),
    Setting(
        "NIANBAO_HOST_INTERVAL",
        None,
        "Distributed crawl: seconds between two requests to one host across all workers (default: DOWNLOAD_DELAY).",
    ),
    Setting(
        "NIANBAO_HOST_CONCURRENCY",
        None,
        "Distributed crawl: requests in flight to one host across all workers "
        "(default: CONCURRENT_REQUESTS_PER_DOMAIN).",
    ),
)
settings_by_name = {s.name: s for s in nianbao_settings}
globals().update({s.name: s.default for s in nianbao_settings})  # module attributes are what Scrapy loads


def user_agent(contact_url: str) -> str:
    """Who we are and where a webmaster complains; the spider rebuilds it when only the contact is set."""
    return f"nianbao/0.1 (archive of government information-disclosure annual reports; +{contact_url})"


# A deployment sets its own contact (``nianbao crawl --contact``, ``-s NIANBAO_CONTACT_URL=…``);
# a USER_AGENT set at a higher priority wins over both.
USER_AGENT = user_agent(settings_by_name["NIANBAO_CONTACT_URL"].default)
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
# Scrapy 2.19 counts a request against CONCURRENT_REQUESTS_PER_DOMAIN only once its download task
# runs, so requests that reach a site's slot in one turn of the event loop all leave, unless the
# slot's delay (jittered to half) outlasts that turn: with DOWNLOAD_DELAY 0, 8 of 10 requests to
# one site were in flight at once; with 1 ms still 7 in a crawl. The spider raises a lower delay
# to this one, which keeps the limit and costs a polite crawl nothing.
MIN_DOWNLOAD_DELAY = 0.05
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10

# Every connection's address is checked as it is resolved (DNS rebinding; crawler.middlewares).
TWISTED_DNS_RESOLVER = "crawler.middlewares.GuardedResolver"
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressGuard": 50,
    "crawler.faults.AntiBotGuard": 60,  # stop asking a site that keeps answering anti-bot challenges
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,  # Scrapy's retry, with backoff and Retry-After
    "crawler.faults.RedirectLoopGuard": 650,  # sees 3xx before RedirectMiddleware (600)
}
EXTENSIONS = {
    "crawler.warc.WarcEvidence": 500,  # every response into a WARC file per crawl
}
ITEM_PIPELINES = {
    "crawler.pipelines.ReadPipeline": 100,  # an article page and its files, read by ``pipelines.page.process``
    "crawler.pipelines.StoragePipeline": 900,  # every item into the archive (``crawler.ledger.CrawlLedger``)
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
