"""Shared fixtures: the sample web (built once per session), its proxy on a free port, a throw-away Redis."""

from __future__ import annotations

import os

import pytest

from crawler import samples
from crawler.samples.server import SampleServer


@pytest.fixture(scope="session")
def web1() -> samples.SampleWeb:
    """The default sample web on day 1."""
    return samples.sample_web(day=1)


@pytest.fixture(scope="session")
def web2() -> samples.SampleWeb:
    """The same sites on day 2."""
    return samples.sample_web(day=2)


@pytest.fixture(scope="session")
def rows1(web1) -> list[dict]:
    return samples.page_rows(web1.world)


@pytest.fixture(scope="session")
def rows2(web2) -> list[dict]:
    return samples.page_rows(web2.world)


@pytest.fixture(scope="module")
def redis_url():
    """A real redis-server on a free loopback port, no persistence, stopped after the module."""
    from support.local_redis import LocalRedis, RedisServerMissing

    try:
        server = LocalRedis()
    except RedisServerMissing as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{e}: CI must install it (.ci/run)")
        pytest.skip(str(e))
    with server:
        yield server.url


@pytest.fixture(scope="session")
def proxy1(web1):
    """The day-1 sample web served as an HTTP proxy on 127.0.0.1 (a free port)."""
    with SampleServer(web1) as server:
        yield server.proxy_url


@pytest.fixture(scope="session")
def sample_archive(tmp_path_factory, web1):
    """An archive of the day-1 sample pages, built through the page pipeline without a crawl."""
    from archive.store import Archive
    from pipelines.page import process

    path = tmp_path_factory.mktemp("archive") / "nianbao.db"
    archive = Archive(path)
    sites = {s.site_id: s for s in web1.world.sites}
    archive.upsert_sites([{"site_id": s, "name": site.name} for s, site in sites.items()])
    for row in samples.page_rows(web1.world):
        if row["kind"] in ("report", "other"):
            response = web1.respond("GET", row["url"])
            record = process(
                response.body,
                row["url"],
                response.header("Content-Type"),
                site_adcode=sites[row["site_id"]].body.region.adcode,
            )
            archive.record_page(url=row["url"], site_id=row["site_id"], status=200, fetched_at="t", record=record)
    archive.close()
    return path
