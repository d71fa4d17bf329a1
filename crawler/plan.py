"""What a crawl of a registry would cost, before it is run: requests, bytes, hours, workers.

``nianbao crawl --plan`` prints it. The per-site figures are measured, never assumed: by default
those of the scale-mode sample web (``SAMPLES``, below: how they were measured), or those of any
archive's own crawls (``figures_from_archive``: its first crawl of each site and its latest
nightly one). The time model is Scrapy's politeness as configured:

- one site is asked at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` at a time, each request at least
  ``DOWNLOAD_DELAY`` after the last, and AutoThrottle keeps a site's pace near
  latency / ``AUTOTHROTTLE_TARGET_CONCURRENCY``: so one site takes about
  requests × max(delay, latency / target) seconds, whatever else runs;
- a worker keeps at most ``CONCURRENT_REQUESTS`` requests in flight, each taking ``latency``
  seconds: so the whole crawl takes at least total requests × latency / (workers × that).

The latency of real government sites cannot be measured from here (no internet): it is an
input (``--latency``), 1.5 s by default, and the figures scale with it.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SiteFigures:
    """Per site: what its first crawl and a nightly crawl cost."""

    first_requests: float
    first_bytes: float
    nightly_requests: float
    nightly_bytes: float
    source: str


# Measured 2026-12-08 on the scale-mode samples (20 sites × 100 reports, `nianbao crawl` twice,
# default settings; crawl_run_sites of the archive): 2,337 requests and 53.4 MB for the first
# crawl, 24 requests and 168 KB for the second. A sample site has 100 reports in its column with
# their look-alikes and files; a real county's column has fewer (one report a year since 2008)
# but its pages are heavier: pass --figures-from an archive of real crawls once one exists.
SAMPLES = SiteFigures(116.85, 2_668_365, 1.2, 8_412, "scale-mode samples, 20 sites × 100 reports (2026-12-08)")


def figures_from_archive(db: str | Path) -> SiteFigures:
    """Per-site figures of an archive's crawls: each site's first crawl, and the latest crawl as the
    nightly one (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        first = conn.execute(
            "select avg(requests), avg(bytes), count(*) from crawl_run_sites c where run_id = "
            "(select min(run_id) from crawl_run_sites where site_id = c.site_id)"
        ).fetchone()
        latest, earliest = conn.execute(
            "select (select max(id) from crawl_runs where status = 'finished'), min(run_id) from crawl_run_sites"
        ).fetchone()
        last = conn.execute(
            "select avg(requests), avg(bytes), count(*) from crawl_run_sites where run_id = ? and run_id > ?",
            [latest, earliest],
        ).fetchone()
    except sqlite3.Error as e:
        raise ValueError(f"{db}: not an archive with crawl figures ({e})") from None
    finally:
        conn.close()
    if not first[2]:
        raise ValueError(f"{db}: no crawl of any site recorded")
    nightly = last if last[2] else first
    return SiteFigures(
        first[0],
        first[1],
        nightly[0],
        nightly[1],
        f"{db}: first crawls of {first[2]} sites" + (f", nightly of {last[2]}" if last[2] else ""),
    )


@dataclass(frozen=True)
class Estimate:
    sites: int
    requests: int
    gigabytes: float
    hours: float  # with the given workers
    site_hours: float  # the longest one site takes, whatever the workers


@dataclass(frozen=True)
class Plan:
    first: Estimate
    nightly: Estimate
    workers: int
    workers_for_one_night: int | None  # None: one site alone takes longer than the night
    night_hours: float
    figures: SiteFigures
    latency_s: float


def _estimate(
    sites: int,
    requests_per_site: float,
    bytes_per_site: float,
    *,
    workers: int,
    latency_s: float,
    delay_s: float,
    target_concurrency: float,
    concurrent_requests: int,
) -> Estimate:
    requests = sites * requests_per_site
    site_seconds = requests_per_site * max(delay_s, latency_s / target_concurrency)
    throughput = workers * concurrent_requests / latency_s  # requests per second, all sites together
    seconds = max(requests / throughput, site_seconds) if sites else 0.0
    return Estimate(sites, round(requests), bytes_per_site * sites / 1e9, seconds / 3600, site_seconds / 3600)


def plan(
    sites: int,
    figures: SiteFigures,
    *,
    delay_s: float,
    target_concurrency: float,
    concurrent_requests: int,
    latency_s: float = 1.5,
    workers: int = 1,
    night_hours: float = 8.0,
) -> Plan:
    """The cost of a first crawl and a nightly one of ``sites`` sites, and the workers that bring the
    first under ``night_hours``."""
    kwargs = {
        "latency_s": latency_s,
        "delay_s": delay_s,
        "target_concurrency": target_concurrency,
        "concurrent_requests": concurrent_requests,
    }
    first = _estimate(sites, figures.first_requests, figures.first_bytes, workers=workers, **kwargs)
    nightly = _estimate(sites, figures.nightly_requests, figures.nightly_bytes, workers=workers, **kwargs)
    needed = None
    if first.site_hours <= night_hours and sites:
        needed = max(1, math.ceil(first.requests * latency_s / concurrent_requests / (night_hours * 3600)))
    return Plan(first, nightly, workers, needed, night_hours, figures, latency_s)


def describe(p: Plan) -> str:
    def line(name: str, e: Estimate) -> str:
        size = f"{e.gigabytes:,.1f} GB" if e.gigabytes >= 0.1 else f"{e.gigabytes * 1000:,.0f} MB"
        time = f"{e.hours:,.1f} h" if e.hours >= 0.1 else f"{e.hours * 60:,.0f} min"
        return (
            f"{name}: {e.requests:,} requests, {size}, about {time} with "
            f"{p.workers} worker(s) (one site alone: {e.site_hours * 60:,.1f} min)"
        )

    lines = [
        f"{p.first.sites:,} crawlable sites; per-site figures from {p.figures.source}; "
        f"latency {p.latency_s:g} s (assumed)",
        line("first crawl", p.first),
        line("nightly crawl", p.nightly),
    ]
    if p.workers_for_one_night is None:
        lines.append(
            f"no number of workers brings the first crawl under {p.night_hours:g} h: one site alone "
            "takes longer (politeness per site is the limit)"
        )
    else:
        lines.append(f"workers for a first crawl under {p.night_hours:g} h: {p.workers_for_one_night}")
    return "\n".join(lines)
