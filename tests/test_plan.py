"""``nianbao crawl --plan``: the cost of a crawl from measured per-site figures and the politeness settings."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.store import Archive
from crawler import plan

FIGURES = plan.SiteFigures(100, 2_000_000, 2, 10_000, "test")
POLITE = {"delay_s": 0.25, "target_concurrency": 1.5, "concurrent_requests": 16}


def test_the_cost_is_the_sites_times_their_figures():
    p = plan.plan(3000, FIGURES, latency_s=1.5, **POLITE)
    assert p.first.requests == 300_000 and p.nightly.requests == 6_000
    assert p.first.gigabytes == pytest.approx(6.0) and p.nightly.gigabytes == pytest.approx(0.03)
    # 300,000 requests, 16 at a time, 1.5 s each, one worker: 28,125 s
    assert p.first.hours == pytest.approx(300_000 * 1.5 / 16 / 3600)
    # one site: 100 requests, each 1.5 s / 1.5 apart (AutoThrottle's pace, above DOWNLOAD_DELAY)
    assert p.first.site_hours == pytest.approx(100 * 1.0 / 3600)
    assert p.workers_for_one_night == 1  # 7.8 h fits in 8


def test_more_workers_shorten_the_crawl_but_not_one_site():
    one = plan.plan(30_000, FIGURES, latency_s=2.0, **POLITE)
    four = plan.plan(30_000, FIGURES, latency_s=2.0, workers=4, **POLITE)
    assert four.first.hours == pytest.approx(one.first.hours / 4)
    assert four.first.site_hours == one.first.site_hours
    needed = one.workers_for_one_night
    assert needed > 1 and plan.plan(30_000, FIGURES, latency_s=2.0, workers=needed, **POLITE).first.hours <= 8
    assert plan.plan(30_000, FIGURES, latency_s=2.0, workers=needed - 1, **POLITE).first.hours > 8


def test_a_site_slower_than_the_night_cannot_be_helped_by_workers():
    huge = plan.SiteFigures(50_000, 0, 1, 0, "test")
    p = plan.plan(10, huge, latency_s=1.5, **POLITE)
    assert p.first.site_hours > 8 and p.workers_for_one_night is None
    assert "no number of workers" in plan.describe(p)


def test_figures_come_from_an_archives_own_crawls(tmp_path):
    db = tmp_path / "nianbao.db"
    archive = Archive(db)
    archive.upsert_sites([{"site_id": s} for s in ("a", "b")])
    first = archive.start_run(2)
    archive.record_run_sites(
        first, [{"site_id": "a", "requests": 100, "bytes": 1000}, {"site_id": "b", "requests": 50, "bytes": 3000}]
    )
    archive.finish_run(first, "finished", 150)
    second = archive.start_run(2)
    archive.record_run_sites(
        second, [{"site_id": "a", "requests": 3, "bytes": 10}, {"site_id": "b", "requests": 1, "bytes": 30}]
    )
    archive.finish_run(second, "finished", 4)
    archive.close()
    figures = plan.figures_from_archive(db)
    assert (figures.first_requests, figures.first_bytes) == (75, 2000)
    assert (figures.nightly_requests, figures.nightly_bytes) == (2, 20)


def test_the_command_prints_the_plan_and_crawls_nothing(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,name,adcode,level,platform,start_urls,website\n"
        "a,甲县,,county,auto,,http://www.a.gov.test/\nb,乙县,,county,auto,http://www.b.gov.test/nb/,\n",
        encoding="utf-8",
    )
    db = tmp_path / "a.db"
    result = CliRunner().invoke(main, ["crawl", "--sites", str(sites), "--db", str(db), "--plan", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 crawlable sites; per-site figures from scale-mode samples")
    assert f"first crawl: {round(2 * plan.SAMPLES.first_requests):,} requests" in result.output
    assert "with 2 worker(s)" in result.output and not db.exists()
