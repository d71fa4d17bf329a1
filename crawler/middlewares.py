"""Downloader middlewares: the private-address guard.

A government page can link or redirect anywhere, including 127.0.0.1, 10.x or the cloud
metadata address 169.254.169.254. Unless the crawl runs with ``--allow-private``
(``NIANBAO_ALLOW_PRIVATE``), requests to loopback, private, link-local or reserved addresses
are refused before they are sent: IP literals directly, host names by resolving them
(results cached per host). A name that does not resolve here is let through, since a
configured proxy resolves it; reserved names such as ``localhost`` count as loopback.
Redirects pass through the guard again, because Scrapy schedules them as new requests.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest


class PrivateAddressRefused(IgnoreRequest):
    """The request's host is (or resolves to) a private or loopback address."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: for a network's own translators


def _blocked(ip: ipaddress._BaseAddress) -> bool:
    """Anything not globally routable (private, loopback, link-local, 100.64/10, reserved…),
    also when an IPv6 address carries such an IPv4 address (mapped, 6to4, Teredo, NAT64), and
    the local-use NAT64 prefix (Python counts both NAT64 prefixes as global)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return True
        nat64 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None, nat64]
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
