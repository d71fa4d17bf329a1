"""The nightly cost of an unchanged web: two crawls of the scale-mode samples, measured side by side.

Targets (nightly-archive issue): the second crawl of unchanged sites issues at most 15% of
the first crawl's requests and takes at most 20% of its time. Both crawls run as
``nianbao crawl`` (default policy: known pages re-fetched after 7 days; a list page with
nothing new ends the walk down that list) through the sample proxy.
    python benchmarks/recrawl.py [--scale 50:100]
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

from crawler import samples
from crawler.samples.server import SampleServer


def crawl(proxy: str, registry: Path, db: Path) -> tuple[float, int, int]:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    env.pop("no_proxy", None)
    nianbao = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
    started = time.perf_counter()
    subprocess.run(
        [nianbao, "crawl", "--sites", str(registry), "--db", str(db)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    requests, pages = (
        sqlite3.connect(db).execute("select requests, pages from crawl_runs order by id desc limit 1").fetchone()
    )
    return elapsed, requests, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="50:100")
    args = parser.parse_args()
    web = samples.sample_web(scale=samples.parse_scale(args.scale))
    with SampleServer(web) as server, tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "sites.csv"
        registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
        db = Path(tmp) / "bench.db"
        t1, r1, p1 = crawl(server.proxy_url, registry, db)
        t2, r2, p2 = crawl(server.proxy_url, registry, db)
    print(f"scale {args.scale}: first crawl {r1} requests, {p1} pages stored, {t1:.1f}s")
    print(f"second crawl (nothing changed): {r2} requests, {p2} pages stored, {t2:.1f}s")
    print(f"requests ratio {r2 / r1:.1%} (target <= 15%), time ratio {t2 / t1:.1%} (target <= 20%)")


if __name__ == "__main__":
    main()
