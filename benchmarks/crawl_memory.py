"""Peak memory of a large crawl: 10,000 article pages of the scale-mode samples, as ``nianbao crawl`` runs it.

Target (hostile-web issue): under 500 MB peak RSS. The crawl runs as its own process (the
sample proxy stays in this one, so its memory is not counted); its peak is the kernel's
high-water mark (``VmHWM`` in /proc, since the exec), and the RSS is also sampled every half
second to show how it grows (a steady climb would be a leak that a bigger crawl hits).
It also accounts for every article page served and not stored: a report missing is a bug;
a look-alike that no list page's adapter offered (the generic adapter follows only link texts
that name a report with a year) is skipped by design.
    python benchmarks/crawl_memory.py [--scale 100:91]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from crawler import adapters, samples
from crawler.samples.server import SampleServer

TARGET_MB = 500
SAMPLE_EVERY = float(os.environ.get("NIANBAO_SAMPLE_EVERY", "0.5"))


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def offered_links(web) -> set[str]:
    """Article URLs the sites' own adapters find on the list pages and list APIs served."""
    platform = {site.site_id: site.platform for site in web.world.sites}
    offered = set()
    for row in samples.page_rows(web.world):
        if row["kind"] in ("list", "api"):
            text = web.respond("GET", row["url"]).body.decode("utf-8", "replace")
            offered.update(link.url for link in adapters.get(platform[row["site_id"]]).parse(row["url"], text).links)
    return offered


def unstored(web, stored: set[str]) -> tuple[list[dict], list[dict], list[dict]]:
    """Article pages served but not stored: (reports, look-alikes no list offered, other look-alikes)."""
    missing = [r for r in samples.page_rows(web.world) if r["kind"] in ("report", "other") and r["url"] not in stored]
    offered = offered_links(web) if missing else set()
    reports = [r for r in missing if r["kind"] == "report"]
    unlisted = [r for r in missing if r["kind"] == "other" and r["url"] not in offered]
    return reports, unlisted, [r for r in missing if r["kind"] == "other" and r["url"] in offered]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="100:91", help="SITES:REPORTS (100:91 is about 10,000 article pages)")
    args = parser.parse_args()
    web = samples.sample_web(scale=samples.parse_scale(args.scale))
    articles = sum(1 for r in samples.page_rows(web.world) if r["kind"] in ("report", "other"))
    with SampleServer(web) as server, tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "sites.csv"
        registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
        db = Path(tmp) / "memory.db"
        env = {**os.environ, "http_proxy": server.proxy_url, "HTTP_PROXY": server.proxy_url}
        env.pop("no_proxy", None)
        env.pop("NO_PROXY", None)
        nianbao = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
        started = time.perf_counter()
        crawl = subprocess.Popen(
            [nianbao, "crawl", "--sites", str(registry), "--db", str(db)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples_mb: list[tuple[float, float]] = []
        high_water = 0.0
        while crawl.poll() is None:
            value = rss_mb(crawl.pid)
            if value is not None:
                samples_mb.append((time.perf_counter() - started, value))
                high_water = max(high_water, rss_mb(crawl.pid, "VmHWM") or 0.0)
            time.sleep(SAMPLE_EVERY)
        elapsed = time.perf_counter() - started
        # ru_maxrss of children would count the pages the child shared with this process between fork and
        # exec (this process holds the whole sample web): the kernel's high-water mark since exec does not.
        fork_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        conn = sqlite3.connect(db)
        pages = conn.execute("select pages, requests from crawl_runs order by id desc limit 1").fetchone()
        errors = conn.execute("select kind, count(*) from crawl_errors group by kind order by 2 desc").fetchall()
        stored = {url for (url,) in conn.execute("select url from pages")}
        conn.close()
    print(
        f"scale {args.scale}: {articles} article pages served; the crawl stored {pages[0]} pages in "
        f"{pages[1]} requests, {elapsed:.0f}s, exit status {crawl.returncode}"
    )
    print("crawl errors by kind:", ", ".join(f"{kind} {n}" for kind, n in errors) or "none")
    reports, unlisted, lost = unstored(web, stored)
    kinds = ", ".join(f"{k} {n}" for k, n in Counter(r["other_kind"] for r in unlisted).most_common())
    print(
        f"served but not stored: {len(reports)} reports (should be 0), {len(lost)} look-alikes a list offered "
        f"(should be 0), {len(unlisted)} look-alikes no list page offered, by design ({kinds or 'none'})"
    )
    quarters = [samples_mb[int(len(samples_mb) * q / 4)] for q in range(1, 4)] if samples_mb else []
    growth = ", ".join(f"{t:.0f}s {mb:.0f} MB" for t, mb in quarters)
    top = max(samples_mb, key=lambda s: s[1]) if samples_mb else (0, 0)
    print(
        f"peak RSS of the crawl process (VmHWM): {high_water:.0f} MB (target < {TARGET_MB} MB); sampled every "
        f"{SAMPLE_EVERY:g} s: {growth}; highest sample {top[1]:.0f} MB at {top[0]:.0f}s "
        f"(ru_maxrss {fork_peak:.0f} MB, inflated by the fork from this process)"
    )


if __name__ == "__main__":
    main()
