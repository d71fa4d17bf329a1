"""Finding report columns and platforms: link scoring, discovery on the sample web, ``nianbao sites check``."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from archive.cli import main
from crawler import discover, samples
from crawler.samples.pages import SECTION_PATH


def test_link_scores_prefer_the_report_column_and_refuse_look_alikes():
    best = discover.score_link("政府信息公开工作年度报告", "/xxgk/ndbg/")
    assert best == ("column", 100)
    assert discover.score_link("政府信息公开年报", "/a/")[0] == "column"
    assert discover.score_link("年度报告", "/a/")[0] == "column"
    assert discover.score_link("政府信息公开年报", "/a/")[1] > discover.score_link("年度报告", "/a/")[1]
    for look_alike in (
        "2021年度政府信息公开工作年度报告",
        "政府信息公开指南",
        "2021年度政府网站年度工作报表",
        "政府信息公开制度",
        "依申请公开",
        "首页",
    ):
        assert discover.score_link(look_alike, "/a/") is None, look_alike
    assert discover.score_link("政府信息公开", "/zwgk/")[0] == "section"
    assert discover.score_link("政府信息公开", "/zwgk/")[1] > discover.score_link("政务动态与信息公开", "/x/")[1]


def test_candidates_stay_on_the_site_and_read_title_of_image_links():
    page = (
        '<a href="http://other.test/nb/">政府信息公开年报</a><a href="http://zwgk.a.test/col/col1/">'
        '<img src="x.png"></a><a title="政府信息公开年报" href="http://zwgk.a.test/col/col2/"><img src="y.png"></a>'
        '<a href="/zwgk/">政府信息公开</a>'
    )
    found = discover.candidates("http://www.a.test/", page)
    assert [(c.url, c.kind) for c in found] == [
        ("http://zwgk.a.test/col/col2/", "column"),
        ("http://www.a.test/zwgk/", "section"),
    ]


def _fetcher(web):
    def fetch(url):
        for _ in range(5):
            response = web.respond("GET", url)
            if response.status in (301, 302):
                url = response.header("Location")
                continue
            if response.status >= 400:
                raise discover.FetchFailed(f"http_{response.status}")
            text = response.body.decode(web._sites[url.split("/")[2]].encoding)
            return discover.Page(url, response.status, text, {k.lower(): v for k, v in response.headers})
        raise discover.FetchFailed("redirect_loop")

    return fetch


def test_discover_finds_every_sample_column_from_the_home_page_in_two_hops(web1, rows1):
    fetch = _fetcher(web1)
    sites = {row["site_id"]: row for row in samples.site_rows(web1.world)}
    sections = {r["site_id"]: r for r in rows1 if r["kind"] == "section"}
    assert set(sections) == set(sites)
    for site_id, site in sites.items():
        home = site["start_urls"].split("/")[0] + "//" + site["host"] + "/"
        found = discover.discover(home, fetch)
        assert found.column == site["start_urls"] == sections[site_id]["column"], site_id
        assert found.platform == site["platform"], site_id
        assert found.visited == [home, home.rstrip("/") + SECTION_PATH, site["start_urls"]]
        from_section = discover.discover(sections[site_id]["url"], fetch, max_hops=1)
        assert from_section.column == site["start_urls"] and len(from_section.visited) == 2
        assert discover.discover(home, fetch, max_hops=0).column is None  # the column is two links away


def test_discover_reports_an_unreachable_start():
    def fetch(url):
        raise discover.FetchFailed("dns", "no such host")

    found = discover.discover("http://nowhere.test/", fetch)
    assert found.column is None and found.error == "dns: no such host"


def test_sites_check_probes_a_registry_and_keeps_every_row(tmp_path, proxy1, web1):
    sites = samples.site_rows(web1.world)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["site_id", "name", "adcode", "level", "platform", "start_urls", "website", "extra"])
    for s in sites[:3]:
        writer.writerow([s["site_id"], s["name"], s["adcode"], s["level"], "auto", "", f"http://{s['host']}/", "kept"])
    writer.writerow([sites[3]["site_id"], "x", sites[3]["adcode"], "county", "auto", sites[3]["start_urls"], "", ""])
    writer.writerow(["nohost", "无此站", "", "county", "auto", "", "http://www.nohost.gov.test/", ""])
    writer.writerow(["local", "本机", "", "county", "auto", "", "http://127.0.0.1:9/", ""])
    writer.writerow(["unknown", "未知", "110101", "county", "auto", "", "", "note kept"])
    path = tmp_path / "sites.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["sites", "check", "--registry", str(path), "--proxy", proxy1, "--pause", "0", "--timeout", "5"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["site_id"] for r in rows] == [s["site_id"] for s in sites[:4]] + ["nohost", "local", "unknown"]
    for row, site in zip(rows[:3], sites[:3]):
        assert (row["status"], row["verified"], row["start_urls"], row["detected_platform"], row["extra"]) == (
            "ok",
            "true",
            site["start_urls"],
            site["platform"],
            "kept",
        )
        assert row["checked_at"] and row["platform"] == "auto"
    assert (rows[3]["status"], rows[3]["detected_platform"]) == ("ok", sites[3]["platform"])
    assert rows[4]["status"] == "http_502" and rows[4]["verified"] == "false"  # the proxy knows no such host
    assert rows[5]["status"] == "private_address"
    assert (rows[6]["status"], rows[6]["checked_at"], rows[6]["extra"]) == ("", "", "note kept")
    assert "checked 6 of 7 sites" in result.output


def test_probe_statuses_from_real_local_servers(monkeypatch):
    import http.server
    import socket
    import threading

    from crawler.probe import Fetcher

    class Challenge(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status = 412 if self.path == "/" else 302
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "http://10.0.0.1/zwgk/")  # a redirect into a private network
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Challenge)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    port, quiet_port = httpd.server_address[1], silent.getsockname()[1]
    fetch = Fetcher(timeout=1, allow_private=True, pause=0)
    guarded = Fetcher(timeout=1, pause=0)
    try:

        def status(fetcher, url):
            try:
                fetcher(url)
            except discover.FetchFailed as e:
                return e.status
            return "ok"

        assert status(fetch, f"http://127.0.0.1:{port}/") == "blocked_412"
        assert status(fetch, f"http://127.0.0.1:{quiet_port}/") == "timeout"
        assert status(guarded, f"http://127.0.0.1:{port}/") == "private_address"
        assert status(Fetcher(timeout=1, pause=0), "http://www.example.invalid/") in ("dns", "timeout")
        # The guard sees every hop: the local server let through, its redirect into 10.0.0.0/8 refused.
        from crawler import probe

        monkeypatch.setattr(probe, "private_reason", lambda host: "private" if host.startswith("10.") else None)
        assert status(guarded, f"http://127.0.0.1:{port}/x") == "private_address"
    finally:
        fetch.close()
        guarded.close()
        httpd.shutdown()
        silent.close()
