"""Scrapy settings of the nianbao crawler: polite by default, everything overridable.

Government servers are small and often slow; we crawl like a considerate reader: two
requests at a time per site, AutoThrottle on, robots.txt obeyed, a User-Agent that says who
we are and where to complain, and retries for the errors that pass.
"""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"



def user_agent(contact_url: str) -> str:
    """Who we are and where a webmaster complains; the spider rebuilds it when only the contact is set."""
    return f"nianbao/0.1 (archive of government information-disclosure annual reports; +{contact_url})"


# A deployment sets its own contact (``nianbao crawl --contact``, ``-s NIANBAO_CONTACT_URL=…``);
# a USER_AGENT set at a higher priority wins over both.
NIANBAO_CONTACT_URL = "https://github.com/nianbao/nianbao"
USER_AGENT = user_agent(NIANBAO_CONTACT_URL)
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
NIANBAO_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled for each next one
NIANBAO_MAX_RETRY_AFTER = 120  # a Retry-After up to this many seconds is waited for; a longer one gives up
NIANBAO_BLOCKED_LIMIT = 3  # anti-bot challenges (HTTP 412) from one site after which it is not asked again this crawl

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateAddressGuard": 50,
    "crawler.faults.AntiBotGuard": 60,  # stop asking a site that keeps answering anti-bot challenges
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,  # Scrapy's retry, with backoff and Retry-After
    "crawler.faults.RedirectLoopGuard": 650,  # sees 3xx before RedirectMiddleware (600)
}
EXTENSIONS = {
    "crawler.evidence.WarcEvidence": 500,  # every response into a WARC file per crawl
}
ITEM_PIPELINES = {
    "pipelines.stages.DecodeStage": 100,
    "pipelines.stages.ExtractStage": 200,
    "pipelines.stages.AttachmentStage": 250,
    "pipelines.stages.MetadataStage": 300,
    "pipelines.stages.ClassifyStage": 400,
    "pipelines.stages.DedupeStage": 500,
    "pipelines.storage.StoragePipeline": 900,
}

# nianbao's own settings.
NIANBAO_DB = "nianbao.db"
NIANBAO_SITES = None  # path of the registry CSV (``-a sites=…`` or ``nianbao crawl --sites``)
NIANBAO_ALLOW_PRIVATE = False
NIANBAO_WARC_DIR = None  # default: warc/ beside the archive
NIANBAO_REFETCH_DAYS = 7  # a known page still listed is fetched again (conditionally) after this many days
NIANBAO_GONE_AFTER_RUNS = 3  # a page that answers but stays off its list this many runs is marked gone
NIANBAO_MAX_LIST_PAGES = 500  # per site: a cap against pagination and calendar traps
NIANBAO_MAX_LIST_DEPTH = 100  # list pages reached one from another: a cap against endless 下一页 chains
NIANBAO_ATTACHMENTS = True  # fetch the files (PDF, Word, Excel, WPS) an article page links
NIANBAO_MAX_ATTACHMENTS = 5  # per page: more links than this are recorded, not fetched
NIANBAO_ATTACHMENT_MAXSIZE = 20 * 1024 * 1024  # bytes; a bigger file is recorded as too large
NIANBAO_FILES_DIR = None  # where files are kept by SHA-256 (default: files/ beside the archive)

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
