"""The one spider: every site of the registry, through the adapter of its platform.

``scrapy crawl reports -a sites=sites.csv`` (or ``nianbao crawl``). For each site it fetches
the start URLs, lets the site's adapter (or the one ``auto`` detects) read each list
response, follows the pagination the adapter finds (capped per site by
``NIANBAO_MAX_LIST_PAGES``), and fetches every linked article. Articles go to the pipelines
raw: body bytes, headers, final URL, site, and the list's link text and date. Requests that
fail become ``CrawlError`` items, so the archive records them and the crawl goes on.
"""

from __future__ import annotations

import datetime as dt
import logging

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from archive.store import snapshot
from archive.store.files import kept_file, read_kept
from archive.store.paths import files_dir
from crawler import adapters, registry
from crawler.faults import body_problem, failure_kind
from crawler.items import ArticlePage, CrawlError, Listed, NotModified, Unlisted, now
from crawler.settings import MIN_DOWNLOAD_DELAY, user_agent
from crawler.spiders.discovery import DiscoveryMixin
from pipelines.dedupe import canonical_url
from pipelines.encoding import decode
from pipelines.extract import file_links

progress = logging.getLogger("nianbao.progress")


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class ReportsSpider(DiscoveryMixin, scrapy.Spider):
    name = "reports"

    def __init__(self, sites: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites_path = sites
        self.sites: dict[str, registry.Site] = {}
        self.registry_errors: list[str] = []
        self.platforms: dict[str, str] = {}
        self.list_pages: dict[str, int] = {}  # list responses read, per site
        self.list_requested: dict[str, int] = {}  # list requests made, per site (capped)
        self.listed: dict[str, set[str]] = {}  # canonical URLs seen on the site's lists this run
        self.incomplete: set[str] = set()  # sites whose lists were not read to the end this run
        self.requested: set[str] = set()  # canonical URLs of article requests made this run
        self.vanish_checked = False
        self.discovered: dict[str, str] = {}  # report columns found by earlier crawls, for website-only rows
        self._init_discovery()

    @classmethod
    def update_settings(cls, settings):
        """A contact URL set above the User-Agent (``-s NIANBAO_CONTACT_URL=…``) goes into the User-Agent;
        a DOWNLOAD_DELAY of 0 becomes MIN_DOWNLOAD_DELAY (see there: else two per site is not two)."""
        super().update_settings(settings)
        priority = settings.getpriority("NIANBAO_CONTACT_URL")
        if priority is not None and priority > (settings.getpriority("USER_AGENT") or 0):
            settings.set("USER_AGENT", user_agent(settings["NIANBAO_CONTACT_URL"]), priority=priority)
        if settings.getfloat("DOWNLOAD_DELAY") < MIN_DOWNLOAD_DELAY:  # one above the setting's own priority:
            # ``scrapy crawl`` merges its -s settings into the crawler again after this, at equal priority
            settings.set(
                "DOWNLOAD_DELAY", MIN_DOWNLOAD_DELAY, priority=(settings.getpriority("DOWNLOAD_DELAY") or 0) + 1
            )

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sites_path or crawler.settings.get("NIANBAO_SITES")
        if not path:
            raise registry.RegistryError("no registry: pass -a sites=FILE or set NIANBAO_SITES")
        sites, errors = registry.load(path, tuple(adapters.ADAPTERS))
        spider.sites = {s.site_id: s for s in sites}
        spider.registry_errors = errors
        settings = crawler.settings
        db = settings["NIANBAO_DB"]
        spider.max_list_pages = settings.getint("NIANBAO_MAX_LIST_PAGES")
        spider.max_list_depth = settings.getint("NIANBAO_MAX_LIST_DEPTH")
        spider.progress = settings.getbool("NIANBAO_PROGRESS")
        spider.known = snapshot.known_articles(db, set(spider.sites))
        spider.known_sites = snapshot.finished_sites(db)
        spider.discovered = snapshot.discovered_columns(db)
        spider.refetch_after = dt.timedelta(days=settings.getfloat("NIANBAO_REFETCH_DAYS"))
        spider.fetch_files = settings.getbool("NIANBAO_ATTACHMENTS")
        spider.max_files = settings.getint("NIANBAO_MAX_ATTACHMENTS")
        spider.max_file_size = settings.getint("NIANBAO_ATTACHMENT_MAXSIZE")
        spider.known_files = snapshot.known_files(db)
        spider.files_dir = files_dir(db, settings["NIANBAO_FILES_DIR"])
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self):
        for message in self.registry_errors:
            self.logger.error(message)
            yield CrawlError(site_id="", url=self.sites_path or "", kind="registry", message=message, at=now())
        for site in self.sites.values():
            self.list_pages[site.site_id] = 0
            self.list_requested[site.site_id] = 0
            # A row naming only a website: the column an earlier crawl found, or find it now.
            urls = site.start_urls or tuple(filter(None, [self.discovered.get(site.site_id)]))
            for url in urls:
                yield self._list_request(site, url)
            if not urls:
                for request in self._discover(site):
                    yield request
        # Known pages that are due are asked again (conditionally, after the lists), listed or not.
        for url, known in self.known.items():
            if self._due(known):
                yield self._article_request(known["site_id"], url, priority=-10)

    def _due(self, known: dict) -> bool:
        """A known page is re-fetched when its last fetch is older than NIANBAO_REFETCH_DAYS."""
        try:
            fetched = dt.datetime.fromisoformat(known["fetched_at"])
        except (TypeError, ValueError):
            return True
        return dt.datetime.now(dt.UTC) - fetched >= self.refetch_after

    def on_idle(self, spider=None):
        """When the lists are done: known pages that left a completely read list are asked again now,
        so a deletion shows (404/410) the same night; a page that still answers counts as unlisted."""
        if self.vanish_checked:
            return
        self.vanish_checked = True
        scheduled = 0
        for url, known in self.known.items():
            site_id = known["site_id"]
            if site_id in self.incomplete or url in self.listed.get(site_id, set()) or url in self.requested:
                continue
            self.crawler.engine.crawl(self._article_request(site_id, url, unlisted=True))
            scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def _list_request(
        self,
        site: registry.Site,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: dict | None = None,
        depth: int = 0,
    ) -> scrapy.Request:
        self.count_list_request(site.site_id)
        return scrapy.Request(
            url,
            method=method,
            body=body,
            headers=headers,
            callback=self.parse_listing,
            errback=self.on_error,
            meta={
                "site_id": site.site_id,
                "role": "list",
                "request_body": body,
                "list_depth": depth,
                **self._robots_meta(site.site_id),
            },
        )

    def _robots_meta(self, site_id: str) -> dict:
        """robots.txt is obeyed unless the site's registry row gives a reason not to (``robots_override``)."""
        site = self.sites.get(site_id)
        return {"dont_obey_robotstxt": True} if site is not None and site.robots_override else {}

    def count_list_request(self, site_id: str) -> None:
        """One more list request for the site (shared by all workers in a distributed crawl)."""
        self.list_requested[site_id] += 1

    def parse_listing(self, response):
        """Article requests and the next list pages. A list page that cannot be read in full (no page,
        an adapter error, no links at all, a cap reached) leaves the site's lists incomplete: then no
        known page of the site counts as having left its list tonight (see ``on_idle``)."""
        site = self.sites[response.meta["site_id"]]
        problem = body_problem(response.body)
        if problem:
            yield self._lists_unread(site.site_id, response.url, problem[0], f"list page: {problem[1]}")
            return
        text = decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1")).text
        name = self.platforms.get(site.site_id) or site.platform
        url = response.url
        if "#" in response.request.url and response.request.url.split("#", 1)[0] == url:
            url = response.request.url  # a fragment naming the column (gkmlpt's index#CAT) never reaches the server
        if name == "auto":
            name = adapters.detect(url, text).NAME
        self.platforms.setdefault(site.site_id, name)
        if self.progress and self.list_pages[site.site_id] == 0:
            progress.info("[%s] %s: %s column %s", site.site_id, site.name, name, response.url)
        self.list_pages[site.site_id] += 1
        try:
            listing = adapters.get(name).parse(url, text, response.meta.get("request_body"))
        except Exception as e:  # a list page the adapter cannot read is recorded, and the crawl goes on
            self.logger.warning("[%s] cannot read list page %s: %s", site.site_id, response.url, e)
            yield self._lists_unread(
                site.site_id, response.url, "list_parse", f"{name} adapter: {type(e).__name__}: {e}"[:500]
            )
            return
        if not listing.links and not listing.follow:
            yield self._lists_unread(
                site.site_id,
                response.url,
                "list_empty",
                f"{name} adapter found no report links and no next page: the page is broken "
                "(a maintenance notice, a challenge) or its markup changed",
            )
            return
        fresh = 0
        listed = self.listed.setdefault(site.site_id, set())
        for link in listing.links:
            url = canonical_url(link.url)
            listed.add(url)
            known = self.known.get(url)
            if known:
                yield Listed(site_id=site.site_id, url=url, at=now())
                if not self._due(known):
                    continue
            if url in self.requested:  # asked already, maybe by another spelling (query order, tracking parameters)
                continue
            fresh += known is None
            yield self._article_request(
                site.site_id, link.url, list_url=response.url, list_title=link.title, list_date=link.date
            )
        if listing.follow and listing.links and not fresh and site.site_id in self.known_sites:
            # Lists are newest first: a page with nothing new means the rest is known too.
            self.incomplete.add(site.site_id)
            return
        depth = response.meta.get("list_depth", 0) + 1
        for follow in listing.follow:
            if self.list_requested[site.site_id] >= self.max_list_pages:
                yield self._lists_unread(
                    site.site_id,
                    follow.url,
                    "list_cap",
                    f"more than {self.max_list_pages} list pages: pagination not followed further",
                )
                break
            if depth > self.max_list_depth:
                yield self._lists_unread(
                    site.site_id,
                    follow.url,
                    "list_depth",
                    f"a list page {depth} pages deep (NIANBAO_MAX_LIST_DEPTH {self.max_list_depth}): not followed",
                )
                break
            yield self._list_request(site, follow.url, follow.method, follow.body, follow.headers, depth)

    def _lists_unread(self, site_id: str, url: str, kind: str, message: str) -> CrawlError:
        """A list page not read (in full): the error, and the site's lists count as incomplete tonight."""
        self.incomplete.add(site_id)
        return CrawlError(site_id=site_id, url=url, kind=kind, message=message, at=now(), extra={"role": "list"})

    def _article_request(self, site_id: str, url: str, priority: int = 0, **meta) -> scrapy.Request:
        """An article request; conditional (If-None-Match / If-Modified-Since) when the archive knows the URL."""
        headers = {}
        canonical = canonical_url(url)
        self.requested.add(canonical)
        known = self.known.get(canonical)
        if known:
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            headers=headers,
            priority=priority,
            meta={
                "site_id": site_id,
                "role": "article",
                "known": bool(known),
                "handle_httpstatus_list": [304],
                **self._robots_meta(site_id),
                **meta,
            },
        )

    def parse_article(self, response):
        if response.meta.get("unlisted"):
            yield Unlisted(site_id=response.meta["site_id"], url=canonical_url(response.url), at=now())
        if response.status == 304:
            yield NotModified(site_id=response.meta["site_id"], url=response.url, fetched_at=now())
            return
        problem = body_problem(response.body)
        if problem:  # nothing to archive: recorded, and the page already in the archive stays as it was
            yield CrawlError(
                site_id=response.meta["site_id"],
                url=response.url,
                kind=problem[0],
                message=problem[1],
                at=now(),
                extra={"role": "article"},
            )
            return
        headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        item = ArticlePage(
            url=response.url,
            requested_url=response.request.meta.get("redirect_urls", [response.url])[0],
            site_id=response.meta["site_id"],
            status=response.status,
            headers=headers,
            body=response.body,
            fetched_at=now(),
            list_url=response.meta.get("list_url"),
            list_title=response.meta.get("list_title"),
            list_date=response.meta.get("list_date"),
            warc=response.meta.get("warc"),
        )
        links = self._file_links(response) if self.fetch_files else []
        if links:
            yield self._file_request(item, links)  # the page goes to the pipelines with its files
        else:
            yield item

    def _file_links(self, response) -> list[str]:
        """The files (PDF, Word, Excel, WPS, OFD) the page links, up to NIANBAO_MAX_ATTACHMENTS."""
        text = decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1")).text
        urls = file_links(text, response.url)
        if len(urls) > self.max_files:
            self.logger.info(
                "[%s] %s links %d files; the first %d are fetched",
                response.meta["site_id"],
                response.url,
                len(urls),
                self.max_files,
            )
        return urls[: self.max_files]

    def _file_request(self, item: ArticlePage, pending: list[str], conditional: bool = True) -> scrapy.Request:
        """Files are fetched one after another, each carrying the page on; a failure is kept with the page.

        A file whose bytes the archive keeps is asked for conditionally: many sites answer every page
        with a 200 (a visit counter, a date in the footer) but serve files statically, with a 304."""
        url = pending[0]
        known = self.known_files.get(url) if conditional else None
        headers = {}
        if known and kept_file(self.files_dir, known["sha256"]).exists():
            if known["etag"]:
                headers["If-None-Match"] = known["etag"]
            if known["last_modified"]:
                headers["If-Modified-Since"] = known["last_modified"]
        return scrapy.Request(
            url,
            callback=self.parse_file,
            errback=self.on_file_error,
            dont_filter=True,
            priority=5,
            headers=headers,
            meta={
                "site_id": item.site_id,
                "role": "attachment",
                "item": item,
                "pending": pending[1:],
                "file_url": url,
                "download_maxsize": self.max_file_size,
                **({"handle_httpstatus_list": [304]} if headers else {}),
            },
        )

    def _file_done(self, meta: dict, body: bytes | None, error: str | None, validators: dict | None = None):
        item = meta["item"]
        item.files.append({"url": meta["file_url"], "body": body, "error": error, **(validators or {})})
        if meta["pending"]:
            yield self._file_request(item, meta["pending"])
        else:
            yield item

    def parse_file(self, response):
        url = response.meta["file_url"]
        if response.status == 304:
            known = self.known_files[url]
            body = read_kept(self.files_dir, known["sha256"])
            if body is None:  # gone from files/, or damaged there: ask for the bytes again
                yield self._file_request(response.meta["item"], [url, *response.meta["pending"]], conditional=False)
                return
            validators = {"etag": known["etag"], "last_modified": known["last_modified"]}
        else:
            body = response.body
            validators = {"etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified")}
        yield from self._file_done(response.meta, body, None, validators)

    def on_file_error(self, failure):
        kind, message = failure_kind(failure)
        self.logger.warning("[%s] file %s: %s", failure.request.meta.get("site_id"), failure.request.url, message)
        yield from self._file_done(failure.request.meta, None, f"{kind}: {message}")

    def on_error(self, failure):
        request = failure.request
        site_id = request.meta.get("site_id", "")
        kind, message = failure_kind(failure)
        url = request.meta.get("redirect_urls", [request.url])[0]  # the URL we were sent to, not where it led
        if url != request.url:
            message = f"{message} (redirected to {request.url})"[:1000]
        if request.meta.get("role") == "list":
            self.incomplete.add(site_id)  # a list page we could not read: no page counts as unlisted
        self.logger.warning("[%s] %s %s: %s", site_id, request.method, url, message)
        yield CrawlError(
            site_id=site_id, url=url, kind=kind, message=message, at=now(), extra={"role": request.meta.get("role")}
        )
