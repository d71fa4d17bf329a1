"""Three workers sharing a Redis frontier archive exactly what one process does (real redis-server)."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from crawler import samples
from crawler.samples.server import SampleServer

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"


def _env(proxy: str) -> dict:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    for name in ("no_proxy", "NO_PROXY", "REDIS_URL"):
        env.pop(name, None)
    return env


def _single(proxy: str, registry: Path, db: Path) -> None:
    subprocess.run(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        env=_env(proxy),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _distributed(proxy: str, registry: Path, db: Path, redis: str, workers: int = 3) -> list[str]:
    """The coordinator and ``workers`` worker processes, as on separate machines; their stderr."""
    env = _env(proxy)
    coordinator = subprocess.Popen(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db), "--redis", redis],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    procs = [
        subprocess.Popen(
            [NIANBAO, "worker", "--redis", redis, "--wait", "60", "--warc-dir", str(db.parent / "warc")],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    outputs = []
    for p in [coordinator, *procs]:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-3000:]
        outputs.append(err)
    return outputs


def _fetched(warc_dir: Path) -> Counter:
    """URLs answered during the crawl, from the WARC evidence of every process (robots.txt aside:
    each worker reads a host's robots.txt for itself)."""
    from warcio.archiveiterator import ArchiveIterator

    urls = Counter()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type in ("response", "revisit"):
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    if not url.endswith("/robots.txt"):
                        urls[url] += 1
    return urls


def _snapshot(db: Path) -> dict:
    """What the archive holds, keyed so two crawls can be compared (ids and times aside)."""
    conn = sqlite3.connect(db)

    def q(sql):
        return conn.execute(sql).fetchall()

    last = q("select max(id) from crawl_runs")[0][0]
    try:
        return {
            "reports": {
                r[0]: r[1:]
                for r in q(
                    "select content_hash, title, agency, report_year, adcode, sightings, "
                    "versions, gone_at is null from reports"
                )
            },
            "sightings": {
                r[0]: r[1:]
                for r in q(
                    "select s.url, r.content_hash, s.site_id, s.list_url, "
                    "s.gone_at is null from sightings s join reports r on r.id = s.report_id"
                )
            },
            "pages": {
                r[0]: r[1:]
                for r in q(
                    "select url, site_id, is_report, content_hash, status, unlisted_runs, "
                    "gone_at is null, etag from pages"
                )
            },
            "versions": sorted(
                q(
                    "select r.content_hash, v.version, v.content_hash from report_versions v "
                    "join reports r on r.id = v.report_id"
                )
            ),
            "sites": sorted(q("select site_id, detected_platform from sites")),
            "run": q(
                f"select status, sites, pages, reports_new, reports_changed, reports_unchanged, sightings_new, "
                f"rejected, errors, gone from crawl_runs where id = {last}"
            ),
            # A report posted on two sites is new at whichever copy is stored first, a sighting at the
            # other: arrival order, which no crawl of concurrent hosts fixes. Per site, new + sightings_new
            # is what is compared; the run's totals above stay exact.
            "run_sites": sorted(
                q(
                    f"select site_id, requests, bytes, pages, new + sightings_new, changed, unchanged, "
                    f"rejected, errors, gone from crawl_run_sites where run_id = {last}"
                )
            ),
            "errors": sorted(q(f"select kind, site_id, url from crawl_errors where run_id = {last}")),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def day1(tmp_path_factory, web1, proxy1, redis_url):
    base = tmp_path_factory.mktemp("distributed")
    registry = base / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    single, dist = base / "single" / "nianbao.db", base / "dist" / "nianbao.db"
    single.parent.mkdir()
    dist.parent.mkdir()
    _single(proxy1, registry, single)
    logs = _distributed(proxy1, registry, dist, redis_url)
    return registry, single, dist, logs


def test_three_workers_archive_every_report_once_and_fetch_every_url_once(day1, rows1):
    registry, single, dist, logs = day1
    reports = {r["report_id"] for r in rows1 if r["kind"] == "report"}
    conn = sqlite3.connect(dist)
    n, distinct = conn.execute("select count(*), count(distinct content_hash) from reports").fetchone()
    assert n == distinct == len(reports)
    assert {u for (u,) in conn.execute("select url from sightings")} == {
        r["url"] for r in rows1 if r["kind"] == "report"
    }
    fetched = _fetched(dist.parent / "warc")
    assert fetched and max(fetched.values()) == 1, [u for u, c in fetched.items() if c > 1]
    assert set(fetched) == set(_fetched(single.parent / "warc"))
    # Each worker fetched part of it (the frontier was shared, not crawled three times).
    done = [line for err in logs[1:] for line in err.splitlines() if line.startswith("worker done")]
    assert len(done) == 3 and all(" 0 requests" not in line for line in done), done


def test_three_workers_give_the_archive_of_one_process(day1):
    _, single, dist, _ = day1
    one, three = _snapshot(single), _snapshot(dist)
    for table in one:
        assert three[table] == one[table], table


def test_next_night_distributed_equals_single_process(day1, web2, redis_url, tmp_path):
    """Day 2 on copies of both day-1 archives: known pages listed (not due), a new, a changed and a
    deleted report, the deletion found by the vanish check; the incremental state must flow alike."""
    registry, single1, dist1, _ = day1
    single, dist = tmp_path / "single" / "nianbao.db", tmp_path / "dist" / "nianbao.db"
    for source, target in ((single1, single), (dist1, dist)):
        target.parent.mkdir()
        shutil.copy(source, target)
    with SampleServer(web2) as server:
        _single(server.proxy_url, registry, single)
        _distributed(server.proxy_url, registry, dist, redis_url)
    one, three = _snapshot(single), _snapshot(dist)
    assert one["run"][0][0] == "finished" and one["run"][0][9] >= 1, one["run"]  # something was marked gone
    for table in one:
        assert three[table] == one[table], table
    assert _fetched(dist.parent / "warc") == _fetched(single.parent / "warc")


def test_items_a_killed_coordinator_left_in_redis_are_stored_by_the_next(tmp_path, web1, redis_url):
    """At least once: an item moved to ``processing`` but never committed is applied by the next coordinator."""
    import redis

    from crawler.distributed.coordinator import Coordinator
    from crawler.distributed.shared import Keys
    from crawler.items import CrawlError

    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    server = redis.Redis.from_url(redis_url)
    dead = Keys("recovery", "deadbeef")
    server.set(Keys.current("recovery"), dead.token)
    item = CrawlError(
        site_id="yichun",
        url="http://www.yichun.gov.test/lost.html",
        kind="http_500",
        message="HTTP 500",
        at="2026-01-01T00:00:00+00:00",
    )
    server.lpush(dead.processing, pickle.dumps(("item", item)))
    server.lpush(dead.items, b"not a pickle")  # a bad message is recorded, not fatal
    db = tmp_path / "nianbao.db"
    run = Coordinator(registry, db, redis_url, prefix="recovery", progress=False, worker_wait_s=0.5).run()
    assert run["status"] == "no_workers"
    conn = sqlite3.connect(db)
    assert conn.execute("select kind, url from crawl_errors order by id").fetchall() == [
        ("http_500", item.url),
        ("ingest", ""),
    ]
    assert not list(server.scan_iter(match="recovery:*"))


def test_a_crawl_whose_seeding_worker_died_ends_with_a_clear_status(tmp_path, web1, redis_url):
    """Only the worker holding the seed lock yields the start requests; if it dies first, the crawl
    cannot finish, so the coordinator ends it (status seeder_lost) instead of waiting forever."""
    import redis

    from crawler.distributed.coordinator import Coordinator

    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    coordinator = Coordinator(registry, tmp_path / "nianbao.db", redis_url, prefix="seeding", progress=False)
    server = redis.Redis.from_url(redis_url)
    server.sadd(coordinator.keys.workers, "host-1")  # joined, took the lock, and its heartbeat expired
    server.set(coordinator.keys.seed_lock, "host-1")
    run = coordinator.run()
    assert run["status"] == "seeder_lost"
    assert not list(server.scan_iter(match="seeding:*"))


class LoggedWeb:
    """The sample web, noting when each request arrives and for which host."""

    def __init__(self, web):
        self.web, self.arrivals = web, []

    def respond(self, method, url, *args, **kwargs):
        from urllib.parse import urlsplit

        self.arrivals.append((time.monotonic(), urlsplit(url).hostname))
        return self.web.respond(method, url, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.web, name)


def test_three_workers_ask_one_site_no_faster_than_one_process_may(tmp_path, redis_url):
    """Requests to a host leave at least DOWNLOAD_DELAY (0.25 s) apart, whichever worker sends them
    (``PacedDownloadHandler``); without it, three workers each keeping their own delay come closer."""
    web = samples.sample_web(scale=samples.parse_scale("2:60"))  # list pages offering 15 articles at once
    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
    logged = LoggedWeb(web)
    with SampleServer(logged) as server:
        _distributed(server.proxy_url, registry, tmp_path / "nianbao.db", redis_url)
    by_host: dict[str, list[float]] = {}
    for at, host in logged.arrivals:
        by_host.setdefault(host, []).append(at)
    assert len(by_host) == 2 and all(len(times) >= 60 for times in by_host.values())
    busiest = max(_most_within(times, 3.0) for times in by_host.values())
    # 3 s / 0.25 s = 12 starts (12 measured twice), plus 2 for arrivals the loopback and the proxy
    # thread shift across the window's edges. Three workers on their own delays reached 29 and 31.
    assert busiest <= 14, busiest


class SlowWeb(LoggedWeb):
    """The sample web answering each request after ``delay`` seconds, noting the most requests
    in flight at once per host (the sample server answers each request in its own thread)."""

    def __init__(self, web, delay: float):
        super().__init__(web)
        self.delay, self.lock = delay, threading.Lock()
        self.inflight: Counter = Counter()
        self.most: Counter = Counter()

    def respond(self, method, url, *args, **kwargs):
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        with self.lock:
            self.inflight[host] += 1
            self.most[host] = max(self.most[host], self.inflight[host])
        try:
            time.sleep(self.delay)
            return super().respond(method, url, *args, **kwargs)
        finally:
            with self.lock:
                self.inflight[host] -= 1


def test_three_workers_keep_a_slow_site_at_two_requests_in_flight(tmp_path, redis_url):
    """Scrapy keeps CONCURRENT_REQUESTS_PER_DOMAIN (2) per process; ``PacedDownloadHandler`` keeps
    it across the workers: a site answering in 1 s never has more than 2 requests of the crawl
    open at once, where three workers on their own limits had 4 (1 s / 0.25 s pace)."""
    web = samples.sample_web(scale=samples.parse_scale("2:24"))
    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
    slow = SlowWeb(web, delay=1.0)
    with SampleServer(slow) as server:
        _distributed(server.proxy_url, registry, tmp_path / "nianbao.db", redis_url)
    assert len(slow.most) == 2 and sum(1 for _ in slow.arrivals) >= 2 * 24, slow.most
    assert max(slow.most.values()) <= 2, slow.most


def test_a_retry_after_holds_the_sites_pace_slot_for_every_worker(redis_url):
    """The worker that gets ``503, Retry-After: 2`` holds the site's shared pace slot 2 s: every
    worker's next turn at the site (the Lua script the handler runs) waits that long. A Retry-After
    too long to wait for (the request is given up) and a 500 hold nothing."""
    import redis
    from scrapy.http import Response

    from crawler.distributed.worker import _TAKE_TURN, hold_for_retry_after

    server = redis.Redis.from_url(redis_url)
    take_turn = server.register_script(_TAKE_TURN)
    keys = ["t:pace:a.test", "t:inflight:a.test"]

    def turn(token: str) -> int:  # token, lease ms, concurrency, pace interval ms, worker
        return take_turn(keys=keys, args=[token, 35_000, 0, 250, "w2"])

    def answer(status: int, retry_after: str) -> Response:
        return Response("http://a.test/x.html", status=status, headers={"Retry-After": retry_after})

    assert turn("r1") == 0
    server.delete(keys[0])
    hold_for_retry_after(server, keys[0], answer(503, "2"), 120, "w1")
    assert 1500 < turn("r2") <= 2000
    server.delete(keys[0])
    hold_for_retry_after(server, keys[0], answer(503, "86400"), 120, "w1")
    hold_for_retry_after(server, keys[0], answer(500, "5"), 120, "w1")
    assert turn("r3") == 0


def _most_within(times: list[float], seconds: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < seconds) for i, start in enumerate(times))
