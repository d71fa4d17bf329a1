"""Discovery's per-site state shared through Redis: any worker may answer any request of a site's search.

``crawler.spiders.discovery`` counts the requests of a site's search still out and claims, once,
the column found, the usual paths tried and each URL asked. In a distributed crawl those requests
are answered by whichever worker pops them, so the counts and claims live in the crawl's Redis
(a hash and a set under its keys, removed with them).
"""

from __future__ import annotations


class SharedDiscovery:
    """Mixed into the distributed spider, before ``ReportsSpider`` (it has ``redis`` and ``keys``)."""

    def _discovery_count(self, site_id: str, delta: int) -> int:
        return int(self.redis.hincrby(f"{self.keys.ns}:discovery_pending", site_id, delta))

    def _discovery_claim(self, key: str) -> bool:
        return bool(self.redis.sadd(f"{self.keys.ns}:discovery_claims", key))

    def _discovery_is_found(self, site_id: str) -> bool:
        return bool(self.redis.sismember(f"{self.keys.ns}:discovery_claims", f"{site_id}:found"))
