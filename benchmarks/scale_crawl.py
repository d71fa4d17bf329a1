"""Scale, simulated: the samples' scale mode crawled by one process, then by N Redis workers, side by side.

Both crawls are ``nianbao crawl`` with the default (polite) settings — two requests at a time
per site, a 0.25 s download delay with jitter, AutoThrottle — through one sample proxy run as
its own process (``nianbao samples serve --scale``). The distributed crawl is a coordinator
(``nianbao crawl --redis``, the one archive writer) plus N ``nianbao worker`` processes on a
throw-away redis-server. With 1,000 sites the per-site delay does not bound the crawl: the
CPU does (parsing lists, extracting and classifying pages, and serving them), so the
speed-up is bounded by the cores this machine gives us, and the proxy and redis-server share
them. Prints pages per second, peak RSS and CPU time per process and the speed-up; the CPU
times show what bound each run (a process near 100% of a core was CPU-bound; one far below
it waited on its 16 concurrent requests, i.e. on the proxy's latency). Beside the speed-up it
prints the requests of each crawl (robots.txt among them, from the WARC evidence: the workers
share each host's robots.txt, so N workers ask no more than one process) and compares the two
archives by content: the reports' content hashes, the pages (URL, content hash) and the
sightings (URL, report, site), not only their counts.
    python benchmarks/scale_crawl.py [--scale 1000:10] [--workers 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test suite's throw-away Redis
from support.local_redis import LocalRedis

NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"


def _wait(proc: subprocess.Popen) -> tuple[int, tuple[int, float]]:
    """Exit status, and peak RSS (KiB) and CPU seconds of a child process, from wait4's rusage."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, (usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def _run_stats(db: Path) -> tuple[int, int, int]:
    return (
        sqlite3.connect(db)
        .execute("select requests, pages, reports_new + sightings_new from crawl_runs order by id desc limit 1")
        .fetchone()
    )


def _contents(db: Path) -> dict[str, set]:
    """What the archive holds, by content: ids and times aside, so two archives compare as sets."""
    conn = sqlite3.connect(db)
    try:
        return {
            "reports": set(conn.execute("select content_hash from reports")),
            "pages": set(conn.execute("select url, content_hash from pages")),
            "sightings": set(
                conn.execute(
                    "select s.url, r.content_hash, s.site_id from sightings s join reports r on r.id = s.report_id"
                )
            ),
        }
    finally:
        conn.close()


def _robots_answers(warc_dir: Path) -> tuple[int, int]:
    """robots.txt answers in the crawl's WARC files (a body written before is a revisit record), and
    the hosts they came from."""
    from warcio.archiveiterator import ArchiveIterator

    answers, hosts = 0, set()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type in ("response", "revisit") and url.endswith("/robots.txt"):
                    answers += 1
                    hosts.add(url.split("/")[2])
    return answers, len(hosts)


def _evidence(db: Path) -> dict:
    return {"contents": _contents(db), "robots": _robots_answers(db.parent / "warc")}


def compare(one: dict[str, set], many: dict[str, set]) -> tuple[bool, str]:
    """Whether two archives hold the same content, and a line saying so table by table."""
    parts = []
    for name in one:
        only_one, only_many = len(one[name] - many[name]), len(many[name] - one[name])
        parts.append(
            f"{name} {len(one[name])} = {len(many[name])}"
            if not (only_one or only_many)
            else f"{name} DIFFER ({only_one} only in 1 process, {only_many} only distributed)"
        )
    return one == many, ", ".join(parts)


def single(env: dict, registry: Path, db: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    code, rss = _wait(proc)
    elapsed = time.perf_counter() - started
    assert code == 0, f"single-process crawl exited {code}"
    return {"elapsed": elapsed, "rss": {"crawl": rss}, "run": _run_stats(db), **_evidence(db)}


def distributed(env: dict, registry: Path, db: Path, workers: int) -> dict:
    with LocalRedis() as redis:
        started = time.perf_counter()
        coordinator = subprocess.Popen(
            [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db), "--redis", redis.url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs = [
            subprocess.Popen(
                [NIANBAO, "worker", "--redis", redis.url, "--warc-dir", str(db.parent / "warc")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        rss = {}
        for i, p in enumerate(procs):
            code, rss[f"worker {i + 1}"] = _wait(p)
            assert code == 0, f"worker {i + 1} exited {code}"
        code, rss["coordinator"] = _wait(coordinator)
        elapsed = time.perf_counter() - started
        assert code == 0, f"coordinator exited {code}"
    return {"elapsed": elapsed, "rss": rss, "run": _run_stats(db), **_evidence(db)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="1000:10")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        registry = tmp / "sites.csv"
        registry.write_text(
            subprocess.run(
                [NIANBAO, "samples", "registry", "--scale", args.scale], check=True, capture_output=True, text=True
            ).stdout,
            encoding="utf-8",
        )
        results = {}
        for mode in ("single", "distributed"):
            # A proxy of its own for each crawl, so its CPU time is that crawl's.
            serve = subprocess.Popen(
                [NIANBAO, "samples", "serve", "--scale", args.scale, "--port", "0"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            try:
                proxy = serve.stdout.readline().split("proxy:", 1)[1].strip()
                env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
                for name in ("no_proxy", "NO_PROXY", "REDIS_URL"):
                    env.pop(name, None)
                (tmp / mode).mkdir()
                db = tmp / mode / "nianbao.db"
                results[mode] = (
                    single(env, registry, db) if mode == "single" else distributed(env, registry, db, args.workers)
                )
            finally:
                serve.terminate()
                _, proxy_usage = _wait(serve)
            results[mode]["rss"]["proxy"] = proxy_usage
    print(f"scale {args.scale}, {os.cpu_count()} CPUs, default politeness (2 per site, 0.25 s delay, AutoThrottle)")
    for mode, r in results.items():
        requests, pages, reports = r["run"]
        robots, hosts = r["robots"]
        label = "1 process" if mode == "single" else f"{args.workers} workers + coordinator"
        print(
            f"{label}: {pages} pages ({reports} report sightings), {requests} requests "
            f"({robots} robots.txt of {hosts} hosts) in {r['elapsed']:.1f}s = "
            f"{pages / r['elapsed']:.1f} pages/s; peak RSS "
            + ", ".join(f"{name} {kb / 1024:.0f} MB" for name, (kb, _) in r["rss"].items())
            + "; CPU "
            + ", ".join(f"{name} {cpu:.0f}s" for name, (_, cpu) in r["rss"].items())
        )
    one, many = results["single"], results["distributed"]
    same, tables = compare(one["contents"], many["contents"])
    print(
        f"speed-up {one['elapsed'] / many['elapsed']:.2f}x with {args.workers} workers; "
        f"requests {one['run'][0]} (1 process) vs {many['run'][0]} ({args.workers} workers); "
        f"archives {'the same' if same else 'DIFFER'} by content: {tables}"
    )


if __name__ == "__main__":
    main()
