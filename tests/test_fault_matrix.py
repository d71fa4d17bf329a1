"""The fault matrix: one crawl of a registry holding hostile sites and a normal sample site, one test per fault.

The hostile sites (``support.hostile``) and the sample web are served by one proxy on
127.0.0.1; the crawl runs once for the module (``scrapy crawl`` with a short download
timeout and retry backoff), then each test reads what the archive recorded for its case:
the ``crawl_errors`` kind, or the flagged page, and how often the server was asked. Every
request of the crawl goes to that proxy, which logs it: a redirect to a private address
that the guard let through would show up in its log (and reach nothing else).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from support import hostile
from support.hostile import CASES, HostileServer, case_url

from archive.serve import wait_until_serving
from crawler import samples

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NORMAL = "chuxiong"  # a sample site crawled beside the hostile ones: it must come out as if alone
SETTINGS = {
    "DOWNLOAD_TIMEOUT": 2.5,
    "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
    "NIANBAO_RETRY_BACKOFF": 0.2,
    "RETRY_TIMES": 2,
    "NIANBAO_MAX_LIST_DEPTH": 5,
    "NIANBAO_MAX_LIST_PAGES": 12,
    "NIANBAO_BLOCKED_LIMIT": 3,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}
OVERRIDE_REASON = "written permission of the site's webmaster (test)"


def registry(web) -> str:
    normal = next(line for line in samples.registry_csv(web.world).splitlines() if line.startswith(NORMAL + ","))
    rows = [
        "site_id,name,adcode,level,platform,start_urls,robots_override",
        f"{normal},",
        f"hostile,示例县人民政府（敌意）,,county,generic,{hostile.LIST},",
        f'trap,示例日历陷阱（敌意）,,county,generic,{hostile.CALENDAR},"{OVERRIDE_REASON}"',
        f"guarded,示例防护站点（敌意）,,county,generic,{hostile.GUARDED_LIST},",
        f"intranet,内网地址（敌意）,,county,generic,{' '.join(hostile.INTRANET_URLS)},",
    ]
    return "\n".join(rows) + "\n"


def scrapy_crawl(proxy: str, sites: Path, db: Path, settings: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    for name in ("no_proxy", "NO_PROXY"):
        env.pop(name, None)
    scrapy = shutil.which("scrapy", path=str(BIN)) or "scrapy"
    options = [arg for k, v in {"NIANBAO_DB": db, **settings}.items() for arg in ("-s", f"{k}={v}")]
    return subprocess.run(
        [scrapy, "crawl", "reports", "-a", f"sites={sites}", *options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, web1, rows1):
    tmp = tmp_path_factory.mktemp("faults")
    sites = tmp / "sites.csv"
    sites.write_text(registry(web1), encoding="utf-8")
    db = tmp / "nianbao.db"
    with HostileServer(web1) as server:
        started = time.monotonic()
        out = scrapy_crawl(server.proxy_url, sites, db, SETTINGS)
        took = time.monotonic() - started
        assert out.returncode == 0, out.stderr[-3000:]
        first_night = len(server.hits)
        # The same site a night later, its good pages now broken: a copy of the archive crawls it again.
        before = tmp / "before.db"
        shutil.copy(db, before)
        again = tmp / "again.db"
        shutil.copy(db, again)
        only_hostile = tmp / "hostile.csv"
        only_hostile.write_text(
            "\n".join(
                registry(web1).splitlines()[:1]
                + [line for line in registry(web1).splitlines() if line.startswith("hostile,")]
            )
            + "\n",
            encoding="utf-8",
        )
        server.broken = True
        out2 = scrapy_crawl(server.proxy_url, only_hostile, again, {**SETTINGS, "NIANBAO_REFETCH_DAYS": 0})
        assert out2.returncode == 0, out2.stderr[-3000:]
        # The same broken night, its known pages not due: only the vanish check could ask for them.
        # One night off the list would be enough to make a page gone.
        outage = tmp / "outage.db"
        shutil.copy(before, outage)
        asked_before = len(server.hits)
        out3 = scrapy_crawl(server.proxy_url, only_hostile, outage, {**SETTINGS, "NIANBAO_GONE_AFTER_RUNS": 1})
        assert out3.returncode == 0, out3.stderr[-3000:]
        outage_hits = [url for url, _ in server.hits[asked_before:]]
    server.hits = server.hits[:first_night]  # the tests below count the first crawl's requests
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield {
        "db": db,
        "conn": conn,
        "server": server,
        "took": took,
        "stderr": out.stderr,
        "before": before,
        "again": again,
        "outage": outage,
        "outage_hits": outage_hits,
    }
    conn.close()


def errors(crawled, url: str) -> list[str]:
    return [r["kind"] for r in crawled["conn"].execute("select kind from crawl_errors where url = ?", [url])]


def page(crawled, url: str):
    return crawled["conn"].execute("select * from pages where url = ?", [url]).fetchone()


def test_the_crawl_finished_with_every_site(crawled):
    run = crawled["conn"].execute("select * from crawl_runs").fetchall()
    assert [r["status"] for r in run] == ["finished"]
    assert crawled["took"] < 60, crawled["took"]
    sites = {r["site_id"] for r in crawled["conn"].execute("select site_id from crawl_run_sites")}
    assert sites == {NORMAL, "hostile", "trap", "guarded", "intranet"}


def test_the_normal_site_is_unaffected(crawled, rows1):
    conn = crawled["conn"]
    truth = {r["title"] for r in rows1 if r["site_id"] == NORMAL and r["kind"] == "report"}
    got = {
        r[0]
        for r in conn.execute(
            "select r.title from reports r join sightings s on s.report_id = r.id where s.site_id = ?", [NORMAL]
        )
    }
    assert got == truth
    assert conn.execute("select count(*) from crawl_errors where site_id = ?", [NORMAL]).fetchone()[0] == 0
    others = {r["url"] for r in rows1 if r["site_id"] == NORMAL and r["kind"] == "other"}
    assert {r[0] for r in conn.execute("select url from pages where site_id = ? and is_report = 0", [NORMAL])} == others


STORED_AS_REPORTS = {  # case -> (encoding, encoding_problem)
    "charset-missing": ("gb18030", None),
    "charset-wrong": ("gb18030", "mismatch"),
    "charset-contradicting": ("utf-8", "mismatch"),
    "gbk-as-utf8": ("gb18030", "mismatch"),
}


@pytest.mark.parametrize("name", STORED_AS_REPORTS)
def test_charsets_decoded_from_the_bytes(crawled, name):
    row = page(crawled, case_url(name))
    assert (row["encoding"], row["encoding_problem"]) == STORED_AS_REPORTS[name]
    assert row["is_report"] == 1
    text = crawled["conn"].execute("select text from reports where id = ?", [row["report_id"]]).fetchone()[0]
    assert hostile.report_text(name)[1] in text  # the Chinese came out right, whatever the page claimed


def test_mojibake_is_flagged_and_not_archived(crawled):
    row = page(crawled, case_url("mojibake"))
    assert row["encoding_problem"] == "mojibake" and row["is_report"] == 0 and row["report_id"] is None
    assert "could not be decoded" in row["reject_reason"]
    assert errors(crawled, case_url("mojibake")) == ["mojibake"]


def test_truncated_markup_keeps_what_arrived(crawled):
    row = page(crawled, case_url("truncated-html"))
    assert row["status"] == 200 and row["encoding_problem"] is None
    text = crawled["conn"].execute("select text from reports where id = ?", [row["report_id"]]).fetchone()
    assert text and hostile.report_text("truncated-html")[1] in text[0] and "三、" not in text[0]
    assert errors(crawled, case_url("truncated-html")) == ["truncated_html"]


def test_empty_page_is_stored_as_rejected(crawled):
    row = page(crawled, case_url("empty-html"))
    assert row["is_report"] == 0 and row["reject_reason"] == "no body text could be extracted from the page"
    assert errors(crawled, case_url("empty-html")) == ["no_text"]


CAPPED = {1, 2, 3}  # cancelled at the cap; on a loaded machine an attempt may time out first and be retried
ERROR_CASES = {  # case -> (crawl_errors kinds for its URL, requests the server saw)
    "truncated-transfer": (["truncated"], 3),
    "zero-bytes": (["empty"], 1),
    "huge": (["too_large"], 1),
    "huge-streamed": (["too_large"], CAPPED),
    "binary": (["binary"], 1),
    "gzip-bomb": (["too_large"], CAPPED),
    "not-found": (["http_404"], 1),
    "gone": (["http_410"], 1),
    "server-error": (["http_500"], 3),
    "retry-after-long": (["http_503"], 1),
    "flapping": (["http_502"], 3),
    "stall": (["timeout"], 3),
    "stall-body": (["timeout"], 3),
    "robots": (["robots"], 0),
}


@pytest.mark.parametrize("name", ERROR_CASES)
def test_fault_recorded_with_its_kind(crawled, name):
    kinds, asked = ERROR_CASES[name]
    assert errors(crawled, case_url(name)) == kinds, CASES[name].what
    assert len(crawled["server"].asked(case_url(name))) in (asked if isinstance(asked, set) else {asked})
    assert page(crawled, case_url(name)) is None  # nothing half-archived


def test_retries_back_off(crawled):
    for name in ("server-error", "flapping"):
        times = crawled["server"].asked(case_url(name))
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert gaps[0] >= 0.2 and gaps[1] >= 0.4, gaps  # NIANBAO_RETRY_BACKOFF, doubled


def test_retry_after_is_honoured(crawled):
    times = crawled["server"].asked(case_url("retry-after"))
    assert len(times) == 2 and times[1] - times[0] >= 2.0
    assert page(crawled, case_url("retry-after"))["is_report"] == 1
    assert page(crawled, case_url("flaky"))["is_report"] == 1 and len(crawled["server"].asked(case_url("flaky"))) == 2


def test_redirect_loops_end(crawled):
    assert errors(crawled, case_url("redirect-loop")) == ["redirect_loop"]
    chain = (
        crawled["conn"]
        .execute("select kind, message from crawl_errors where url like ?", [case_url("redirect-chain") + "%"])
        .fetchall()
    )
    assert [r["kind"] for r in chain] == ["redirect_loop"]
    assert len(crawled["server"].asked(case_url("redirect-chain"))) == 11  # REDIRECT_MAX_TIMES + 1


PRIVATE_TARGETS = {
    "to-loopback": "http://127.0.0.1:{port}/secret.html",
    "to-private": "http://10.0.0.8/admin/index.html",
    "to-metadata": "http://169.254.169.254/latest/meta-data/iam/",
    "to-localhost": "http://localhost:{port}/secret.html",
}


@pytest.mark.parametrize("name", PRIVATE_TARGETS)
def test_redirect_to_a_private_address_is_refused(crawled, name):
    target = PRIVATE_TARGETS[name].format(port=crawled["server"].port)
    [error] = crawled["conn"].execute("select kind, message from crawl_errors where url = ?", [case_url(name)])
    assert error["kind"] == "private_address" and f"refused {target}" in error["message"]
    assert len(crawled["server"].asked(case_url(name))) == 1


def test_private_addresses_never_reached(crawled):
    hosts = {urllib.request.urlparse(u).hostname for u, _ in crawled["server"].hits}
    assert not hosts & {"127.0.0.1", "localhost", "10.0.0.8", "10.20.30.40", "169.254.169.254"}, hosts
    for url in hostile.INTRANET_URLS:
        assert errors(crawled, url) == ["private_address"]


def test_anti_bot_challenge_is_blocked_not_retried(crawled):
    kinds = [r[0] for r in crawled["conn"].execute("select kind from crawl_errors where site_id = 'guarded'")]
    assert kinds == ["blocked"] * 2 * hostile.GUARDED_ARTICLES
    articles = [u for u, _ in crawled["server"].hits if "/art/" in u]
    assert len(set(articles)) == len(articles)  # never retried
    # Articles already on their way when the challenges came back were asked (once each); once
    # NIANBAO_BLOCKED_LIMIT challenges were seen, no other article of the site was sent.
    asked = {int(u.rsplit("/", 1)[1].split(".")[0]) for u in articles}
    assert len(asked) >= SETTINGS["NIANBAO_BLOCKED_LIMIT"] and max(asked) <= hostile.GUARDED_ARTICLES, asked


def test_robots_override_is_per_site_with_its_reason(crawled):
    url = f"http://{hostile.TRAP_HOST}/private/permitted.html"
    assert page(crawled, url)["is_report"] == 1
    reason = crawled["conn"].execute("select robots_override from sites where site_id = 'trap'").fetchone()[0]
    assert reason == OVERRIDE_REASON
    assert crawled["conn"].execute("select robots_override from sites where site_id = 'hostile'").fetchone()[0] is None


def test_pagination_trap_stops_at_the_depth_cap(crawled):
    lists = {u for u, _ in crawled["server"].hits if u.startswith(f"http://{hostile.HOST}/xxgk/")}
    assert len(lists) == SETTINGS["NIANBAO_MAX_LIST_DEPTH"] + 1
    assert errors(crawled, f"http://{hostile.HOST}/xxgk/list_7.html") == ["list_depth"]


def test_calendar_trap_stops_at_the_page_cap(crawled):
    lists = [u for u, _ in crawled["server"].hits if "/calendar/" in u]
    assert 3 < len(lists) <= SETTINGS["NIANBAO_MAX_LIST_PAGES"]  # requests made, some dropped as duplicates
    kinds = [r[0] for r in crawled["conn"].execute("select kind from crawl_errors where site_id = 'trap'")]
    assert kinds and set(kinds) == {"list_cap"}


def test_query_string_variants_are_fetched_once(crawled):
    assert len(crawled["server"].asked(case_url("variants"))) == 1
    assert (
        crawled["conn"]
        .execute("select count(*) from pages where url like ?", [case_url("variants") + "%"])
        .fetchone()[0]
        == 1
    )


def test_script_in_titles_is_stored_as_text_and_escaped_when_served(crawled, tmp_path):
    row = page(crawled, case_url("script-title"))
    report = crawled["conn"].execute("select id, title, text from reports where id = ?", [row["report_id"]]).fetchone()
    assert "<script>" in report["title"]  # the title as the page wrote it, as text
    assert "document.write" not in report["text"]  # the page's own script is not text
    assert "<script>alert('text')</script>" in report["text"]  # the text that showed markup, as text
    port = _free_port()
    nianbao = shutil.which("nianbao", path=str(BIN)) or "nianbao"
    server = subprocess.Popen(
        [nianbao, "serve", "--db", str(crawled["db"]), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_serving(base)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for path in (
            f"/nianbao/reports/{report['id']}",
            "/nianbao/reports?_col=title",
            f"/nianbao/pages?url={urllib.parse.quote(case_url('script-title'))}",
        ):
            html = opener.open(base + path, timeout=10).read().decode()
            assert "&lt;script&gt;" in html and "<script>alert" not in html and "<img src=x" not in html, path
    finally:
        server.terminate()
        server.wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_broken_night_changes_nothing_archived(crawled):
    """Pages that gave reports, fetched again while they answer 0 bytes, binary, mojibake, 500, a cut
    transfer, an empty page or 404: every report and its text stay, each failure is recorded."""
    query = "select id, title, text, content_hash, versions from reports order by id"
    before = sqlite3.connect(crawled["before"]).execute(query).fetchall()
    conn = sqlite3.connect(crawled["again"])
    assert conn.execute(query).fetchall() == before
    assert (
        conn.execute("select count(*) from report_versions").fetchone()[0]
        == sqlite3.connect(crawled["before"]).execute("select count(*) from report_versions").fetchone()[0]
    )
    kinds = {url: kind for url, kind in conn.execute("select url, kind from crawl_errors where run_id = 2")}
    assert kinds[case_url("charset-missing")] == "empty" and kinds[case_url("charset-wrong")] == "binary"
    assert kinds[case_url("retry-after")] == "http_500" and kinds[case_url("flaky")] == "truncated"
    assert kinds[case_url("script-title")] == "http_404"
    gone = conn.execute("select gone_at from sightings where url = ?", [case_url("script-title")]).fetchone()[0]
    assert gone is not None  # a 404 marks the sighting gone; the report row itself is kept
    # A garbled or empty page now: the page row says so; the report and its sighting stay as they were.
    for name, column, value in (
        ("gbk-as-utf8", "encoding_problem", "mojibake"),
        ("variants", "reject_reason", "no body text could be extracted from the page"),
    ):
        assert conn.execute(f"select {column} from pages where url = ?", [case_url(name)]).fetchone()[0] == value
        text = conn.execute(
            "select r.text from sightings s join reports r on r.id = s.report_id where s.url = ?", [case_url(name)]
        ).fetchone()
        assert text and hostile.report_text(name)[1] in text[0], name


def test_a_column_down_for_maintenance_leaves_its_reports_where_they_were(crawled):
    """The list page answers a 200 notice with no links: a ``list_empty`` error, and the site's lists
    count as unread, so none of its known pages is taken for one that left the list (asked again
    as such, and gone after NIANBAO_GONE_AFTER_RUNS nights)."""
    conn = sqlite3.connect(crawled["outage"])
    assert conn.execute("select kind from crawl_errors where run_id = 2").fetchall() == [("list_empty",)]
    assert crawled["outage_hits"] == [f"http://{hostile.HOST}/robots.txt", hostile.LIST]  # no article asked
    query = "select url, gone_at, unlisted_runs from pages where site_id = 'hostile' order by url"
    assert conn.execute(query).fetchall() == sqlite3.connect(crawled["before"]).execute(query).fetchall()
    assert conn.execute("select count(*) from reports where gone_at is not null").fetchone()[0] == 0


def test_every_case_has_a_test():
    tested = {
        *STORED_AS_REPORTS,
        *ERROR_CASES,
        *PRIVATE_TARGETS,
        "mojibake",
        "truncated-html",
        "empty-html",
        "retry-after",
        "flaky",
        "redirect-loop",
        "redirect-chain",
        "script-title",
        "variants",
    }
    assert tested == set(CASES)
