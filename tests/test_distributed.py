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
from urllib.parse import urlsplit

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


def _crawl_command(registry: Path, db: Path, redis: str | None = None, settings: dict | None = None) -> list[str]:
    """``nianbao crawl``, or with Scrapy ``settings`` (it has no option for them) the same call from Python."""
    if not settings:
        return [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db), *(["--redis", redis] if redis else [])]
    call = (
        f"run_distributed_crawl({str(registry)!r}, {str(db)!r}, {redis!r}, overrides={settings!r}, progress=False)"
        if redis
        else f"run_crawl({str(registry)!r}, {str(db)!r}, progress=False, overrides={settings!r})"
    )
    code = (
        "from crawler.distributed.coordinator import run_distributed_crawl\n"
        "from crawler.runner import run_crawl\n"
        f"run = {call}\n"
        "assert run['status'] == 'finished', run\n"
    )
    return [sys.executable, "-c", code]


def _single(proxy: str, registry: Path, db: Path, settings: dict | None = None) -> None:
    subprocess.run(
        _crawl_command(registry, db, settings=settings),
        env=_env(proxy),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _distributed(
    proxy: str, registry: Path, db: Path, redis: str, workers: int = 3, settings: dict | None = None
) -> list[str]:
    """The coordinator and ``workers`` worker processes, as on separate machines; their stderr."""
    env = _env(proxy)
    coordinator = subprocess.Popen(
        _crawl_command(registry, db, redis, settings),
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


def _busy_workers(logs: list[str]) -> int:
    """How many workers made requests, from their closing lines ("worker done in 9s: 29 requests, …")."""
    return sum(
        1
        for err in logs[1:]
        for line in err.splitlines()
        if line.startswith("worker done") and not line.split(": ", 1)[1].startswith("0 requests")
    )


def _fetched(warc_dir: Path) -> Counter:
    """URLs answered during the crawl, from the WARC evidence of every process (robots.txt included:
    the workers share it, ``crawler.distributed.robots``)."""
    from warcio.archiveiterator import ArchiveIterator

    urls = Counter()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type in ("response", "revisit"):
                    urls[record.rec_headers.get_header("WARC-Target-URI")] += 1
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
def asked1() -> dict[str, Counter]:
    """The URLs each day-1 crawl of ``day1`` asked the web for ("single", "dist"), counted as they arrived."""
    return {}


@pytest.fixture(scope="module")
def day1(tmp_path_factory, web1, redis_url, asked1):
    base = tmp_path_factory.mktemp("distributed")
    registry = base / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    single, dist = base / "single" / "nianbao.db", base / "dist" / "nianbao.db"
    single.parent.mkdir()
    dist.parent.mkdir()
    for crawl in ("single", "dist"):
        logged = LoggedWeb(web1)
        with SampleServer(logged) as server:
            if crawl == "single":
                _single(server.proxy_url, registry, single)
            else:
                logs = _distributed(server.proxy_url, registry, dist, redis_url)
        asked1[crawl] = Counter(logged.urls)
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


def test_three_workers_ask_the_web_what_one_process_asks(day1, asked1, redis_url):
    """Issue 18: each worker read every host's robots.txt (3 workers, 150 sites: 419 robots.txt
    requests where one process made 150; nothing else differed). Shared through Redis, every URL is
    asked exactly as often as by one process, robots.txt once per host, and the runs count alike."""
    import redis

    _, single, dist, _ = day1
    one, three = asked1["single"], asked1["dist"]
    robots = {url: n for url, n in three.items() if url.endswith("/robots.txt")}
    assert len(robots) == len({urlsplit(url).hostname for url in one}) and set(robots.values()) == {1}, robots
    assert three == one, {url: (one[url], three[url]) for url in one.keys() | three.keys() if one[url] != three[url]}
    requests = "select requests from crawl_runs order by id desc limit 1"
    assert sqlite3.connect(dist).execute(requests).fetchone() == sqlite3.connect(single).execute(requests).fetchone()
    assert not list(redis.Redis.from_url(redis_url).scan_iter(match="nianbao:*"))  # the coordinator removed them


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
        self.web, self.arrivals, self.urls = web, [], []

    def respond(self, method, url, *args, **kwargs):
        from urllib.parse import urlsplit

        self.arrivals.append((time.monotonic(), urlsplit(url).hostname))
        self.urls.append(url)
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


# robots.txt answers other than a plain 200, per host of a 5-site web: (status, body), or None for no
# answer within the download timeout. Scrapy parses whatever body came (an HTML 404 or 500 page allows
# all; a 5xx is retried first), and no answer at all (retried too) allows all.
ROBOTS_ANSWERS = {
    "s0002.scale.gov.test": (404, b"<html><body><h1>404 Not Found</h1></body></html>"),
    "s0003.scale.gov.test": (500, b"<html><body><h1>500 Internal Server Error</h1></body></html>"),
    "s0004.scale.gov.test": None,
    "s0005.scale.gov.test": (200, b"User-agent: *\nDisallow: /\n"),
}
QUICK = {  # no pauses but the hosts' turns, and the wait for s0004's robots.txt
    "CONCURRENT_REQUESTS": 2,  # a worker takes no more than two requests: the three share the work
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_TIMEOUT": 2.5,
    "AUTOTHROTTLE_ENABLED": False,
    "NIANBAO_RETRY_BACKOFF": 0.2,
    "RETRY_TIMES": 1,
    "NIANBAO_BLOCKED_LIMIT": 3,
}


class RobotsAnswers(LoggedWeb):
    """The sample web, with the robots.txt answers of ``ROBOTS_ANSWERS``."""

    def respond(self, method, url, *args, **kwargs):
        from crawler.samples.web import Response

        host = urlsplit(url).hostname
        if urlsplit(url).path != "/robots.txt" or host not in ROBOTS_ANSWERS:
            return super().respond(method, url, *args, **kwargs)
        if ROBOTS_ANSWERS[host] is None:
            time.sleep(QUICK["DOWNLOAD_TIMEOUT"] + 1)
            raise ConnectionResetError("robots.txt: no answer")
        status, body = ROBOTS_ANSWERS[host]
        return Response(
            status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body
        )


def test_three_workers_obey_robots_txt_as_one_process_whatever_it_answers(tmp_path, redis_url):
    """Whatever a host's robots.txt answers (404, 500, no answer, Disallow: /), three workers ask it
    as often as one process (once, or once per retry) and obey it alike: the same URLs asked, the
    same archive."""
    from support.hostile import HostileServer

    web = RobotsAnswers(samples.sample_web(scale=samples.parse_scale("5:3")))
    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
    asked, snapshots = {}, {}
    for crawl in ("single", "dist"):
        db = tmp_path / crawl / "nianbao.db"
        db.parent.mkdir()
        with HostileServer(web) as server:
            if crawl == "single":
                _single(server.proxy_url, registry, db, QUICK)
            else:
                logs = _distributed(server.proxy_url, registry, db, redis_url, settings=QUICK)
        asked[crawl] = Counter(url for url, _ in server.hits)
        snapshots[crawl] = _snapshot(db)
    one, three = asked["single"], asked["dist"]
    assert _busy_workers(logs) >= 2, logs  # the workers shared the hosts
    robots = {host: (one[f"http://{host}/robots.txt"], three[f"http://{host}/robots.txt"]) for host in ROBOTS_ANSWERS}
    # The 500 and the silence are retried (RETRY_TIMES): by one worker, as often as by one process.
    assert robots == {
        **dict.fromkeys(ROBOTS_ANSWERS, (1, 1)),
        "s0003.scale.gov.test": (2, 2),
        "s0004.scale.gov.test": (2, 2),
    }
    assert three == one
    archived = {site for site, *_ in snapshots["dist"]["pages"].values()}
    assert archived == {"s0001", "s0002", "s0003", "s0004"}  # s0005 disallows all; the others allow
    assert ("robots", "s0005", samples.start_url(web.world.sites[4])) in snapshots["dist"]["errors"]
    for table in snapshots["single"]:
        assert snapshots["dist"][table] == snapshots["single"][table], table


def test_three_workers_give_up_a_challenging_site_as_one_process(tmp_path, redis_url):
    """A site answering anti-bot challenges is given up after NIANBAO_BLOCKED_LIMIT of them, counted
    across the workers (``SharedAntiBotGuard``): no article of its second list page, asked a second
    after the first, is sent, as in one process (``test_fault_matrix``). Each worker counting its own,
    8 to 10 of the 10 articles were asked (5 runs of 5)."""
    from support import hostile
    from support.hostile import HostileServer

    registry = tmp_path / "sites.csv"
    registry.write_text(
        f"site_id,name,adcode,level,platform,start_urls\nguarded,示例防护站点（敌意）,,county,generic,{hostile.GUARDED_LIST}\n",
        encoding="utf-8",
    )
    # A host's turn every 0.3 s across the workers: its requests wait for it in the worker that took
    # them, so each worker takes a share, and sees only its share of the challenges.
    paced = {**QUICK, "NIANBAO_HOST_INTERVAL": 0.3}
    for attempt in range(3):  # a worker that opened late may find the site done: then it shows nothing
        db = tmp_path / str(attempt) / "nianbao.db"
        db.parent.mkdir()
        with HostileServer(samples.sample_web(scale=samples.parse_scale("1:1"))) as server:
            logs = _distributed(server.proxy_url, registry, db, redis_url, settings=paced)
        if _busy_workers(logs) >= 2:
            break
    assert _busy_workers(logs) >= 2, logs  # the workers shared the site's requests
    articles = [url for url, _ in server.hits if "/art/" in url]
    numbers = {int(url.rsplit("/", 1)[1].split(".")[0]) for url in articles}
    assert len(numbers) == len(articles) >= QUICK["NIANBAO_BLOCKED_LIMIT"], articles
    assert max(numbers) <= hostile.GUARDED_ARTICLES, articles
    errors = sqlite3.connect(db).execute("select kind, url from crawl_errors").fetchall()
    assert {kind for kind, _ in errors} == {"blocked"} and set(articles) <= {url for _, url in errors}, errors


def test_one_worker_fetches_a_hosts_robots_txt_and_a_dead_ones_lease_runs_out(redis_url):
    """``SharedRobots`` on a real Redis: of three workers asking at once, one fetches and the others get
    its answer (a body, or None for no answer); a live holder keeps its lease past LEASE_MS while its
    fetch lasts; a holder killed mid-fetch (its lock left behind) is replaced once its lease ends."""
    import asyncio

    import redis

    from crawler.distributed.robots import SharedRobots
    from crawler.distributed.shared import Keys

    server = redis.Redis.from_url(redis_url)
    keys = Keys("robots", "t1")
    fetched: list[tuple[str, str]] = []

    def fetcher(worker: str, host: str, body: bytes | None, seconds: float):
        async def fetch():
            fetched.append((worker, host))
            await asyncio.sleep(seconds)
            return body

        return fetch

    async def at_once(host: str, body: bytes | None, seconds: float, lease_ms: int = SharedRobots.LEASE_MS):
        workers = [SharedRobots(server, keys, f"w{i}") for i in range(3)]
        for w in workers:
            w.LEASE_MS, w.RENEW_S = lease_ms, lease_ms / 4000
        return await asyncio.gather(*(w.answer(host, fetcher(w.holder, host, body, seconds)) for w in workers))

    rules = b"User-agent: *\nDisallow: /private/\n"
    answers = asyncio.run(at_once("a.test", rules, 0.3))
    assert [body for body, _ in answers] == [rules] * 3 and sorted(mine for _, mine in answers) == [False, False, True]
    assert [body for body, _ in asyncio.run(at_once("b.test", None, 0.1))] == [None] * 3
    again = asyncio.run(at_once("b.test", b"never fetched", 0))  # "no answer" is kept as such
    assert again == [(None, False)] * 3
    # The fetch outlasts five leases of 200 ms: renewed, the lease holds, and nobody fetches beside it.
    assert [body for body, _ in asyncio.run(at_once("c.test", b"", 1.0, lease_ms=200))] == [b""] * 3
    assert [host for _, host in fetched] == ["a.test", "b.test", "c.test"], fetched
    server.set(keys.robots_lock("d.test"), "killed", px=500)
    started = time.monotonic()
    body, mine = asyncio.run(SharedRobots(server, keys, "w9").answer("d.test", fetcher("w9", "d.test", rules, 0)))
    assert mine and body == rules and 0.4 < time.monotonic() - started < 3
    assert not list(server.scan_iter(match=f"{keys.ns}:robots_lock:*"))  # every holder let go


def test_three_workers_find_report_columns_from_portals_as_one_process_does(tmp_path, web1, proxy1, redis_url):
    """A registry of portals only: the workers share each site's search (``SharedDiscovery``), so
    every column is found once, every report archived, and the next night starts from the columns."""
    lines = ["site_id,name,adcode,level,platform,start_urls,website"]
    lines += [
        f"{s['site_id']},{s['name']},{s['adcode']},{s['level']},auto,,http://{s['host']}/"
        for s in samples.site_rows(web1.world)
    ]
    registry = tmp_path / "sites.csv"
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    single, dist = tmp_path / "single" / "nianbao.db", tmp_path / "dist" / "nianbao.db"
    single.parent.mkdir()
    dist.parent.mkdir()
    _single(proxy1, registry, single)
    _distributed(proxy1, registry, dist, redis_url)
    query = "select site_id, report_column, discovery_status from sites order by site_id"
    found = sqlite3.connect(dist).execute(query).fetchall()
    assert found == sqlite3.connect(single).execute(query).fetchall()
    assert all(status == "found" for _, _, status in found) and len(found) == len(lines) - 1
    reports = "select content_hash from reports order by content_hash"
    assert sqlite3.connect(dist).execute(reports).fetchall() == sqlite3.connect(single).execute(reports).fetchall()
