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
it waited on its 16 concurrent requests, i.e. on the proxy's latency).
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
    return {"elapsed": elapsed, "rss": {"crawl": rss}, "run": _run_stats(db)}


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
    return {"elapsed": elapsed, "rss": rss, "run": _run_stats(db)}


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
        label = "1 process" if mode == "single" else f"{args.workers} workers + coordinator"
        print(
            f"{label}: {pages} pages ({reports} report sightings), {requests} requests in {r['elapsed']:.1f}s = "
            f"{pages / r['elapsed']:.1f} pages/s; peak RSS "
            + ", ".join(f"{name} {kb / 1024:.0f} MB" for name, (kb, _) in r["rss"].items())
            + "; CPU "
            + ", ".join(f"{name} {cpu:.0f}s" for name, (_, cpu) in r["rss"].items())
        )
    one, many = results["single"], results["distributed"]
    same = one["run"][1:] == many["run"][1:]
    print(
        f"speed-up {one['elapsed'] / many['elapsed']:.2f}x with {args.workers} workers "
        f"(pages and reports {'the same' if same else 'DIFFER'} in both archives)"
    )


if __name__ == "__main__":
    main()
