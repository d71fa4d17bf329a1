"""Finding a site's report column inside the crawl, for registry rows that name only a website.

The way a person looks (``crawler.discover`` scores the links; this drives it with Scrapy
requests): the portal → its 信息公开 section (政府信息公开 / 政务公开 / 信息公开目录 / 法定主动
公开内容) → the 年报 column (政府信息公开年报 / 工作年度报告 / 年度报告), at most ``MAX_HOPS``
links away, starting from the portal and the registry's 信息公开 hint; when those lead nowhere,
from the usual paths (``/zfxxgk/``, ``/xxgk/``, …). The first page that reads as a column is
the site's column: it is parsed as the first list page at once, and what was found, and how,
is stored (``sites.report_column``, ``discovered_via``, ``discovered_at``) and used as the
site's start URL the next night. A site where nothing was found is stored as ``not_found``.

Each site's search is a small tree of requests; a count of those still out tells when it is
over. The single-process spider keeps it in dicts; the distributed spider overrides the three
state methods (``_discovery_*``) to keep it in Redis.
"""

from __future__ import annotations

from urllib.parse import urljoin

import scrapy

from crawler.discover import candidates, looks_like_column
from crawler.faults import body_problem, failure_kind
from crawler.items import CrawlError, Discovered, Undiscovered, now
from pipelines.encoding import decode

MAX_HOPS = 2  # links followed from a start page towards the column
MIN_SCORE = 40  # a column link scoring less is not followed (``crawler.discover.score_link``)
USUAL_PATHS = ("/zfxxgk/", "/xxgk/", "/zwgk/", "/gkmlpt/", "/zfxxgknb/")


class DiscoveryMixin:
    """Discovery for ``ReportsSpider``: ``_discover(site)`` yields the first requests; the rest follows."""

    def _init_discovery(self) -> None:
        self.discovery_pending: dict[str, int] = {}  # requests of a site's search still out
        self.discovery_claims: set[str] = set()  # "SITE:found", "SITE:paths", "SITE:url:URL"

    # -- state (overridden by the distributed spider, whose workers share one search per site) ------

    def _discovery_count(self, site_id: str, delta: int) -> int:
        """Requests of the site's search still out, after adding ``delta``."""
        self.discovery_pending[site_id] = self.discovery_pending.get(site_id, 0) + delta
        return self.discovery_pending[site_id]

    def _discovery_claim(self, key: str) -> bool:
        """True for the first caller only: the column found, the usual paths tried, a URL asked."""
        if key in self.discovery_claims:
            return False
        self.discovery_claims.add(key)
        return True

    def _discovery_is_found(self, site_id: str) -> bool:
        return f"{site_id}:found" in self.discovery_claims

    # -- requests -------------------------------------------------------------------------------

    def _discover(self, site):
        """The first requests of a site's search: its portal, and its 信息公开 hint when the registry has one."""
        starts = [(site.website, "portal")]
        if site.disclosure_hint and site.disclosure_hint != site.website:
            starts.append((site.disclosure_hint, "信息公开 hint"))
        for url, via in starts:
            request = self._discovery_request(site, url, via, hop=0)
            if request is not None:
                yield request

    def _discovery_request(self, site, url: str, via: str, hop: int, column: bool = False):
        if not self._discovery_claim(f"{site.site_id}:url:{url}"):  # asked already in this search
            return None
        self._discovery_count(site.site_id, +1)
        return scrapy.Request(
            url,
            callback=self.parse_discovery,
            errback=self.on_discovery_error,
            dont_filter=True,  # counted: a request the dupefilter dropped would never come back
            meta={
                "site_id": site.site_id,
                "role": "discovery",
                "hop": hop,
                "via": via,
                "column": column,
                "list_depth": 0,
                **self._robots_meta(site.site_id),
            },
        )

    # -- answers --------------------------------------------------------------------------------

    def parse_discovery(self, response):
        site = self.sites[response.meta["site_id"]]
        yield from self._read_discovery_page(site, response)
        yield from self._discovery_done(site, response.meta)

    def _read_discovery_page(self, site, response):
        meta = response.meta
        if self._discovery_is_found(site.site_id) or body_problem(response.body):
            return
        text = decode(response.body, response.headers.get("Content-Type", b"").decode("latin-1")).text
        if meta["column"] or looks_like_column(response.url, text):
            if self._discovery_claim(f"{site.site_id}:found"):
                column = response.request.url if "#" in response.request.url else response.url
                via = meta["via"] if meta["column"] else f"{meta['via']} (a column itself)"
                yield Discovered(site_id=site.site_id, column=column, via=via, at=now())
                yield from self.parse_listing(response)
            return
        links = candidates(response.url, text)
        columns = [c for c in links if c.kind == "column" and c.score >= MIN_SCORE]
        follow = [(c, True) for c in columns[:2]]
        if not columns and meta["hop"] < MAX_HOPS:
            follow = [(c, False) for c in sorted((c for c in links if c.kind == "section"), key=lambda c: -c.score)[:2]]
        for cand, is_column in follow:
            request = self._discovery_request(
                site, cand.url, f"{meta['via']} → {cand.text}", meta["hop"] + 1, is_column
            )
            if request is not None:
                yield request

    def on_discovery_error(self, failure):
        meta = failure.request.meta
        site = self.sites[meta["site_id"]]
        if meta["hop"] == 0 and meta["via"] == "portal":  # the portal itself failing is the site's news
            kind, message = failure_kind(failure)
            yield CrawlError(
                site_id=site.site_id,
                url=failure.request.url,
                kind=kind,
                message=f"portal: {message}",
                at=now(),
                extra={"role": "discovery"},
            )
        yield from self._discovery_done(site, meta)

    def _discovery_done(self, site, meta):
        """One request of the search is over; when none is left and nothing was found, try the usual
        paths, then give up and say so."""
        if self._discovery_count(site.site_id, -1) > 0 or self._discovery_is_found(site.site_id):
            return
        if self._discovery_claim(f"{site.site_id}:paths"):
            requests = [
                self._discovery_request(site, urljoin(site.website, path), f"path {path}", hop=1)
                for path in USUAL_PATHS
            ]
            requests = [r for r in requests if r is not None]
            if requests:
                yield from requests
                return
        self.incomplete.add(site.site_id)  # no list read: no known page of the site left its list tonight
        yield Undiscovered(
            site_id=site.site_id,
            at=now(),
            reason=f"no annual-report column found from {site.website} within {MAX_HOPS} links, "
            "nor under the usual paths",
        )
