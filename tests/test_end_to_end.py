"""The whole path over the sample web: proxy → crawl → archive → Datasette, checked against the manifest."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from archive.serve import wait_until_serving
from crawler import samples
from crawler.samples.server import SampleServer

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _nianbao() -> str:
    return shutil.which("nianbao", path=str(BIN)) or shutil.which("nianbao")


def _crawl(proxy: str, registry: Path, db: Path, *extra: str, command: list[str] | None = None):
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    cmd = command or [_nianbao(), "crawl", "--sites", str(registry), "--db", str(db), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return out


def _counts(db: Path) -> dict:
    d = sqlite_utils.Database(db)
    return {t: d[t].count for t in ("reports", "sightings", "pages")}


@pytest.fixture(scope="module")
def day1_archive(tmp_path_factory, web1, proxy1):
    tmp = tmp_path_factory.mktemp("e2e")
    registry = tmp / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    db = tmp / "nianbao.db"
    out = _crawl(proxy1, registry, db)
    return tmp, registry, db, out


def test_archive_holds_every_report_and_no_other_page(day1_archive, rows1):
    _, _, db, out = day1_archive
    reports = list(sqlite_utils.Database(db)["reports"].rows)
    truth = {}
    for r in rows1:
        if r["kind"] == "report":
            truth.setdefault(r["report_id"], r)
    assert len(reports) == len(truth)
    by_title = {r["title"]: r for r in reports}
    for rid, t in truth.items():
        got = by_title[t["title"]]
        assert (got["report_year"], got["agency"], got["adcode"], got["level"]) == (
            t["report_year"],
            t["agency"],
            t["adcode"],
            t["level"],
        ), rid
    first_dates = {}
    for r in rows1:
        if r["kind"] == "report":
            first_dates.setdefault(r["title"], set()).add(r["published"])
    for r in reports:
        assert r["published_date"] in first_dates[r["title"]]
    other_titles = {r["title"] for r in rows1 if r["kind"] == "other"}
    assert not other_titles & set(by_title)
    assert "[yichun]" in out.stderr and "crawl run 1 finished" in out.stderr


def test_republished_report_is_one_report_with_several_sightings(day1_archive, rows1):
    _, _, db, _ = day1_archive
    d = sqlite_utils.Database(db)
    sightings = [r for r in rows1 if r["kind"] == "report"]
    assert d["sightings"].count == len(sightings)
    multi = {r["report_id"] for r in sightings if sum(x["report_id"] == r["report_id"] for x in sightings) > 1}
    assert d.execute("select count(*) from reports where sightings > 1").fetchone()[0] == len(multi)


def test_rejected_pages_are_recorded_with_reasons(day1_archive):
    _, _, db, _ = day1_archive
    d = sqlite_utils.Database(db)
    rejected = list(d["pages"].rows_where("is_report = 0"))
    assert rejected and all(r["reject_reason"] for r in rejected)
    assert d["crawl_errors"].count >= 1  # the dead link


def test_second_run_changes_no_counts_then_day_two_changes_four_things(day1_archive, proxy1, web2, rows1, rows2):
    tmp, registry, db, _ = day1_archive
    copy = tmp / "again.db"
    shutil.copy(db, copy)
    before = _counts(copy)
    _crawl(proxy1, registry, copy)
    assert _counts(copy) == before
    runs = (
        sqlite_utils.Database(copy)
        .execute("select requests, reports_unchanged, reports_new from crawl_runs order by id")
        .fetchall()
    )
    assert runs[-1][2] == 0 and runs[-1][0] <= 0.5 * runs[0][0]  # an unchanged web costs its first list pages
    with SampleServer(web2) as server:
        out = _crawl(server.proxy_url, registry, copy, "--refetch-days", "0")
    d = sqlite_utils.Database(copy)
    run = d.execute(
        "select id, reports_new, reports_changed, sightings_new from crawl_runs order by id desc"
    ).fetchone()
    assert run[1:] == (1, 1, 1), out.stderr[-2000:]
    assert d.execute("select count(*) from report_versions where version > 1").fetchone()[0] == 1
    per_site = list(d["crawl_run_sites"].rows_where("run_id = ?", [run[0]]))
    assert len(per_site) == len(web2.world.sites) and all(r["requests"] > 0 and r["bytes"] > 0 for r in per_site)
    assert sum(r["new"] for r in per_site) == 1 and sum(r["changed"] for r in per_site) == 1
    gone = [r for r in rows2 if r["kind"] == "gone"]
    assert [r["title"] for r in d["reports"].rows_where("gone_at is not null")] == [gone[0]["title"]]
    assert d["reports"].count == before["reports"] + 1  # nothing deleted


def test_scrapy_crawl_reports_works_as_scrapy_users_expect(tmp_path, web1, proxy1):
    registry = tmp_path / "sites.csv"
    registry.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    db = tmp_path / "s.db"
    scrapy = shutil.which("scrapy", path=str(BIN)) or "scrapy"
    _crawl(
        proxy1,
        registry,
        db,
        command=[
            scrapy,
            "crawl",
            "reports",
            "-a",
            f"sites={registry}",
            "-s",
            f"NIANBAO_DB={db}",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
    )
    assert sqlite_utils.Database(db)["reports"].count == len(
        {r["report_id"] for r in samples.page_rows(web1.world) if r["kind"] == "report"}
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_publishes_the_archive_as_database_nianbao(day1_archive):
    _, _, db, _ = day1_archive
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
    proc = subprocess.Popen(
        [_nianbao(), "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_serving(base), "nianbao serve did not start"
        reports = json.loads(opener.open(base + "/nianbao/reports.json?_shape=array&_size=max", timeout=10).read())
        assert len(reports) == sqlite_utils.Database(db)["reports"].count
        meta = json.loads(opener.open(base + "/-/metadata.json", timeout=10).read())
        assert meta["databases"]["nianbao"]["tables"]["reports"]["columns"]["adcode"]
        page = opener.open(base + "/nianbao/reports", timeout=10).read().decode()
        assert "The year the report covers" in page or "report_year" in page
        with pytest.raises(urllib.error.HTTPError):
            opener.open(
                urllib.request.Request(base + "/nianbao/-/query?sql=delete+from+reports", method="POST"), timeout=5
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_extract_prints_one_json_object(tmp_path, web1, rows1):
    row = next(r for r in rows1 if r["kind"] == "report" and r["encoding"] == "gbk")
    page = tmp_path / "page.html"
    page.write_bytes(web1.respond("GET", row["url"]).body)
    out = subprocess.run(
        [_nianbao(), "extract", str(page), "--url", row["url"]], capture_output=True, text=True, check=True, timeout=60
    )
    got = json.loads(out.stdout)
    assert got["is_report"] is True and got["reject_reason"] is None
    assert (got["title"], got["report_year"], got["published_date"], got["adcode"]) == (
        row["title"],
        row["report_year"],
        row["published"],
        row["adcode"],
    )
    assert set(got) == {
        "is_report",
        "reject_reason",
        "title",
        "agency",
        "source",
        "province",
        "city",
        "county",
        "adcode",
        "level",
        "report_year",
        "published_date",
        "site_name",
        "attachments",
        "text",
        "stats",
    }
    assert got["stats"]["template"] == row["stats"]["template"]
    assert len(got["stats"]["cells"]) == len(row["stats"]["cells"])


@pytest.mark.parametrize("delivery", ["docx", "pdf"])
def test_extract_reads_an_attached_file_alone(tmp_path, web1, rows1, delivery):
    row = next(r for r in rows1 if r["kind"] == "report" and r["delivery"] == delivery and r["stats"])
    saved = tmp_path / f"report.{delivery}"
    saved.write_bytes(web1.respond("GET", row["attachment_url"]).body)
    out = subprocess.run([_nianbao(), "extract", str(saved)], capture_output=True, text=True, check=True, timeout=60)
    got = json.loads(out.stdout)
    assert got["is_report"] is True and got["report_year"] == row["report_year"]

    def key(c):
        return (c["table"], c["row"], c["column"])

    assert sorted(got["stats"]["cells"], key=key) == sorted(row["stats"]["cells"], key=key)


def test_archive_holds_every_table_cell_and_finds_the_planted_inconsistencies(day1_archive, rows1):
    _, _, db, _ = day1_archive
    d = sqlite_utils.Database(db)
    ids = {r["title"]: r["id"] for r in d["reports"].rows}
    truth = {}
    for r in rows1:
        if r["kind"] == "report" and r["stats"]:
            truth[ids[r["title"]]] = r
    assert len(truth) >= 25
    for report_id, row in truth.items():
        got = {
            (c["table"], c["row"], c["column"]): c["value"]
            for c in d["report_stats"].rows_where("report_id = ?", [report_id])
        }
        assert got == {(c["table"], c["row"], c["column"]): c["value"] for c in row["stats"]["cells"]}, row["url"]
    failed = {(ids_r, c, col) for ids_r, c, col in d.execute("select report_id, [check], [column] from stats_checks")}
    planted = {(rid, f["check"], f["column"]) for rid, r in truth.items() for f in r["planted_errors"]}
    assert len(planted) == 4 and failed == planted
    # Files: the scan is recorded as such, the others read, each kept once by its hash.
    files = {a["url"]: a for a in d["attachments"].rows}
    for r in rows1:
        if r["kind"] == "report" and r["attachment_url"]:
            a = files[r["attachment_url"]]
            assert a["status"] == ("no_text_layer" if r["delivery"] == "scan" else "ok"), a
            assert (db.parent / "files" / a["sha256"][:2] / a["sha256"]).stat().st_size == a["size"]
    # The view journalists compare: one row per report with tables.
    rows = list(d.query("select * from request_stats"))
    assert len(rows) == len(truth) and sum(r["failed_checks"] for r in rows) == 4


def test_every_response_is_raw_evidence_in_a_valid_warc(day1_archive, web1):
    tmp, _, db, _ = day1_archive
    warcs = sorted((tmp / "warc").glob("*.warc.gz"))
    assert warcs
    bin_dir = Path(sys.executable).parent
    check = subprocess.run([str(bin_dir / "warcio"), "check", "-v", *map(str, warcs)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    d = sqlite_utils.Database(db)
    assert d.execute("select count(*) from report_versions where warc_file is null").fetchone()[0] == 0
    report_id, url = d.execute("select id, url from reports order by id limit 1").fetchone()
    out = subprocess.run([_nianbao(), "raw", str(report_id), "--db", str(db)], capture_output=True, timeout=60)
    assert out.returncode == 0 and out.stdout == web1.respond("GET", url).body
    warc_file, offset = d.execute("select warc_file, warc_offset from reports where id = ?", [report_id]).fetchone()
    replay = subprocess.run(
        [str(bin_dir / "warcio"), "extract", "--payload", str(tmp / "warc" / warc_file), str(offset)],
        capture_output=True,
        timeout=60,
    )
    assert replay.returncode == 0 and replay.stdout == out.stdout  # warcio's own tool reads the same record
    missing = subprocess.run([_nianbao(), "raw", "99999", "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no report 99999" in missing.stderr


def test_nightly_views_after_day_two(day1_archive, proxy1, web2):
    import asyncio

    from archive.serve import app

    tmp, registry, db, _ = day1_archive
    copy = tmp / "views.db"
    shutil.copy(db, copy)
    with SampleServer(web2) as server:
        _crawl(server.proxy_url, registry, copy, "--refetch-days", "0")
    client = app(copy).client

    def get(path):
        return asyncio.run(client.get(path)).json()

    changed = get("/nianbao/recently_changed.json?_shape=array")
    assert len(changed) == 1 and changed[0]["version"] == 2
    diff = get(f"/nianbao/version_diff.json?report_id={changed[0]['report_id']}&_shape=array")
    assert [d["version"] for d in diff] == [1, 2] and diff[1]["changes"].startswith("--- before")
    assert len(get("/nianbao/removed_reports.json?_shape=array")) == 1
    health = get("/nianbao/site_health.json?_shape=array")
    assert len(health) == len(web2.world.sites) and all(
        h["last_success"] and h["consecutive_failures"] == 0 for h in health
    )


def test_registry_of_websites_only_checked_then_crawled_with_auto_finds_every_report(tmp_path, web1, rows1, proxy1):
    """Home pages in, `sites check` discovers each column, the crawl fingerprints each platform."""
    lines = ["site_id,name,adcode,level,platform,start_urls,website"]
    lines += [
        f"{s['site_id']},{s['name']},{s['adcode']},{s['level']},auto,,http://{s['host']}/"
        for s in samples.site_rows(web1.world)
    ]
    registry = tmp_path / "sites.csv"
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = subprocess.run(
        [_nianbao(), "sites", "check", "--registry", str(registry), "--proxy", proxy1, "--pause", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert check.returncode == 0 and f"({len(lines) - 1} ok)" in check.stderr, check.stderr
    db = tmp_path / "auto.db"
    _crawl(proxy1, registry, db)
    archived = {r["content_hash"] for r in sqlite_utils.Database(db)["reports"].rows}
    assert len(archived) == len({r["report_id"] for r in rows1 if r["kind"] == "report"})
    platforms = {r["site_id"]: r["detected_platform"] for r in sqlite_utils.Database(db)["sites"].rows}
    assert platforms == {s["site_id"]: s["platform"] for s in samples.site_rows(web1.world)}
