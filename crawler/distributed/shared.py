"""The shared state of a distributed crawl in Redis: its keys, and Redis-backed stand-ins for the
spider's per-run sets and dicts, used by the coordinator and the workers alike."""

from __future__ import annotations

import os
import socket

import redis


class RedisUnavailable(RuntimeError):
    """The Redis server cannot be reached, or holds another live crawl under the prefix."""


def ping(url: str) -> redis.Redis:
    """A connection to the Redis at ``url``, or ``RedisUnavailable`` with why."""
    server = connect(url)
    try:
        server.ping()
    except redis.RedisError as e:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {e}") from None
    return server


class Keys:
    """The Redis keys of one distributed crawl, all under ``PREFIX:TOKEN:``."""

    def __init__(self, prefix: str, token: str):
        self.prefix, self.token = prefix, token
        ns = f"{prefix}:{token}"
        self.ns = ns
        for name in (
            "config",
            "requests",
            "dupefilter",
            "items",
            "processing",
            "activity",
            "seed_lock",
            "seeded",
            "phase",
            "vanish_lock",
            "done",
            "coordinator",
            "workers",
            "incomplete",
            "requested",
            "platforms",
            "list_requests",
            "robots",
            "challenges",
        ):
            setattr(self, name, f"{ns}:{name}")

    @staticmethod
    def current(prefix: str) -> str:
        """The key naming the crawl workers should join."""
        return f"{prefix}:current"

    def listed(self, site_id: str) -> str:
        return f"{self.ns}:listed:{site_id}"

    def worker(self, worker_id: str) -> str:
        return f"{self.ns}:worker:{worker_id}"

    def robots_lock(self, netloc: str) -> str:
        """Held by the worker fetching this host's robots.txt (``crawler.distributed.robots``)."""
        return f"{self.ns}:robots_lock:{netloc}"


def keys_from_settings(settings) -> Keys:
    return Keys(settings["NIANBAO_REDIS_PREFIX"], settings.get("NIANBAO_REDIS_CRAWL"))


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=10, health_check_interval=30)


# -- the run's shared state, with the interfaces of the spider's local sets and dicts ------------


class RedisSet:
    """A Redis set used where the spider uses a ``set``: ``add`` and ``in``."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def add(self, member: str) -> None:
        self.server.sadd(self.key, member)

    def __contains__(self, member: str) -> bool:
        return bool(self.server.sismember(self.key, member))

    def snapshot(self) -> set[str]:
        return {m.decode() for m in self.server.smembers(self.key)}


class RedisSetsBySite:
    """``spider.listed`` (site -> set of URLs): one Redis set per site."""

    def __init__(self, server: redis.Redis, keys: Keys):
        self.server, self.keys = server, keys

    def setdefault(self, site_id: str, default=None) -> RedisSet:
        return RedisSet(self.server, self.keys.listed(site_id))

    get = setdefault

    def snapshot(self, site_ids) -> dict[str, set[str]]:
        return {s: RedisSet(self.server, self.keys.listed(s)).snapshot() for s in site_ids}


class RedisDict:
    """``spider.platforms`` (site -> adapter): the first worker to detect a site's platform decides
    it for all (HSETNX), so a later list page (a JSON or XML endpoint) is never fingerprinted anew."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def get(self, field: str, default=None):
        value = self.server.hget(self.key, field)
        return value.decode() if value is not None else default

    def setdefault(self, field: str, value: str) -> str:
        self.server.hsetnx(self.key, field, value)
        return self.get(field)

    def items(self):
        return [(k.decode(), v.decode()) for k, v in self.server.hgetall(self.key).items()]


class RedisCounts:
    """``spider.list_requested`` (site -> list requests made): a Redis hash, incremented atomically."""

    def __init__(self, server: redis.Redis, key: str):
        self.server, self.key = server, key

    def __getitem__(self, field: str) -> int:
        return int(self.server.hget(self.key, field) or 0)

    def __setitem__(self, field: str, value: int) -> None:
        self.server.hset(self.key, field, value)

    def incr(self, field: str) -> int:
        return self.server.hincrby(self.key, field, 1)


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"
