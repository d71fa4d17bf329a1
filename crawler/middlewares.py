"""The private-address guard: a downloader middleware and the crawl's DNS resolver.

A government page can link or redirect anywhere, including 127.0.0.1, 10.x or the cloud
metadata address 169.254.169.254. Unless the crawl runs with ``--allow-private``
(``NIANBAO_ALLOW_PRIVATE``), requests to loopback, private, link-local or reserved addresses
are refused before they are sent: IP literals directly, host names by resolving them
(results cached per host). A name that does not resolve here is let through, since a
configured proxy resolves it; reserved names such as ``localhost`` count as loopback.
Redirects pass through the guard again, because Scrapy schedules them as new requests.

A name checked once may resolve elsewhere a moment later (DNS rebinding: public for the check,
127.0.0.1 for the connection). So the crawl's resolver (``GuardedResolver``, Scrapy's
``TWISTED_DNS_RESOLVER``) checks the very address each connection is made to, and refuses a
private one; the names of the configured proxies are exempt, since we chose them.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is (or resolves to) a private or loopback address."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: for a network's own translators
# IPv6 forms that carry an IPv4 address in their last 32 bits and that some stacks still route
# to it: IPv4-compatible (::a.b.c.d, RFC 4291, deprecated) and IPv4-translated (::ffff:0:a.b.c.d, RFC 2765).
V4_COMPATIBLE = ipaddress.ip_network("::/96")
V4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")


def _blocked(ip: ipaddress._BaseAddress) -> bool:
    """Anything not globally routable (private, loopback, link-local, 100.64/10, reserved…),
    also when an IPv6 address carries such an IPv4 address (mapped, compatible, translated, 6to4,
    Teredo, NAT64), and the local-use NAT64 prefix (Python counts both NAT64 prefixes as global)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return True
        last32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        carried = last32 if any(ip in net for net in (NAT64, V4_COMPATIBLE, V4_TRANSLATED)) else None
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None, carried]
        if any(v4 is not None and _blocked(v4) for v4 in embedded):
            return True
    return not ip.is_global or ip.is_multicast


@lru_cache(maxsize=4096)
def private_reason(host: str) -> str | None:
    """Why ``host`` must not be fetched without --allow-private, or None when it may."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return f"{host} is a loopback name"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return f"{host} is a private or loopback address" if _blocked(ip) else None
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if _blocked(address):
            return f"{host} resolves to the private address {address}"
    return None


class PrivateAddressGuard:
    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE"))

    def process_request(self, request, spider=None):
        if self.allow_private:
            return None
        reason = private_reason(urlsplit(request.url).hostname or "")
        if reason:
            raise PrivateAddressRefused(f"refused {request.url}: {reason} (crawl with --allow-private to permit)")
        return None


def proxy_hosts() -> frozenset[str]:
    """Host names of the proxies the crawl is configured with (Scrapy reads the same variables)."""
    return frozenset(urlsplit(url).hostname or "" for url in getproxies().values() if "://" in url) - {""}


def refused_address(name: str, address: str, exempt: frozenset[str] = frozenset()) -> str | None:
    """Why a connection to ``address``, which ``name`` resolved to, is refused; None when it may go."""
    if name.lower().rstrip(".") in exempt:
        return None
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return None
    return f"{name} resolves to the private address {ip} at connect time" if _blocked(ip) else None


refused_at_connect: dict[str, str] = {}  # host name -> why the resolver refused it (this process)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing to hand a connection a private address (see the module docstring)."""

    allow_private = False
    exempt: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)  # Scrapy's cache and DNS_TIMEOUT, as configured
        resolver.allow_private = crawler.settings.getbool("NIANBAO_ALLOW_PRIVATE")
        resolver.exempt = proxy_hosts()
        return resolver

    def getHostByName(self, name: str, timeout=()):
        d = super().getHostByName(name, timeout)
        if not self.allow_private:
            d.addCallback(self._check, name)
        return d

    def _check(self, address: str, name: str) -> str:
        reason = refused_address(name, address, self.exempt)
        if reason:
            # Twisted's endpoint turns any look-up failure into "did not resolve" and logs all but
            # DNSLookupError: so fail as one, and keep the reason for ``crawler.faults.failure_kind``.
            refused_at_connect[name.lower()] = f"refused {name}: {reason} (crawl with --allow-private to permit)"
            raise DNSLookupError(refused_at_connect[name.lower()])
        return address
