"""Discovery inside the crawl: a registry of portals only is crawled as if it named every report column.

The sample sites' home pages link their 政府信息公开 section, which links the report column among
look-alikes (指南, 制度, 依申请公开): the crawl walks portal → section → column, archives every
report, keeps what it found (and how) in ``sites``, and the next night starts from the column.
A site where nothing leads to a column is stored as ``not_found`` and shown in ``site_health``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler import samples
from crawler.samples.server import SampleServer
from crawler.samples.web import Response

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"


class LoggedWeb:
    """The sample web, noting every URL asked; one host answers a portal that links nothing useful."""

    BARE_HOST = "www.bare.gov.test"

    def __init__(self, web):
        self.web, self.asked = web, []

    def respond(self, method, url, *args, **kwargs):
        self.asked.append(url)
        if urlsplit(url).hostname == self.BARE_HOST:  # a home page with no link to follow; nothing else
            if urlsplit(url).path == "/":
                return _html(200, "<html><head><title>无栏目县</title></head><body><p>网站建设中。</p></body></html>")
            return _html(404, "<html><body>404</body></html>")
        return self.web.respond(method, url, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.web, name)


def _html(status: int, page: str) -> Response:
    body = page.encode()
    return Response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body)


def _crawl(proxy: str, registry: Path, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    out = subprocess.run(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, web1):
    tmp = tmp_path_factory.mktemp("discovery")
    sites = samples.site_rows(web1.world)
    lines = ["site_id,name,adcode,level,platform,start_urls,website"]
    lines += [f"{s['site_id']},{s['name']},{s['adcode']},{s['level']},auto,,http://{s['host']}/" for s in sites]
    lines.append(f"bare,无栏目县,,county,auto,,http://{LoggedWeb.BARE_HOST}/")
    registry = tmp / "sites.csv"
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp / "nianbao.db"
    logged = LoggedWeb(web1)
    with SampleServer(logged) as server:
        started = time.monotonic()
        _crawl(server.proxy_url, registry, db)
        first_asked, logged.asked = logged.asked, []
        took = time.monotonic() - started
        _crawl(server.proxy_url, registry, db)
        second_asked = logged.asked
    yield {"db": db, "sites": sites, "first": first_asked, "second": second_asked, "took": took}


def test_a_registry_of_portals_archives_every_report(crawled, rows1):
    conn = sqlite3.connect(crawled["db"])
    archived = {r[0] for r in conn.execute("select content_hash from reports")}
    assert len(archived) == len({r["report_id"] for r in rows1 if r["kind"] == "report"})


def test_what_was_found_and_how_is_kept_in_sites(crawled):
    conn = sqlite3.connect(crawled["db"])
    found = {
        row[0]: row[1:]
        for row in conn.execute(
            "select site_id, report_column, discovered_via, discovered_at, discovery_status from sites"
        )
    }
    for site in crawled["sites"]:
        column, via, at, status = found[site["site_id"]]
        assert status == "found" and at, site["site_id"]
        assert column.split("#")[0] in site["start_urls"].split("#")[0] or site["start_urls"].startswith(column), (
            column,
            site["start_urls"],
        )
        assert via.startswith("portal → 政府信息公开 → ")  # home page → section → the column's own link text


def test_the_next_night_starts_from_the_column_found(crawled):
    homes = {f"http://{s['host']}/" for s in crawled["sites"]}
    assert homes <= set(crawled["first"])
    assert not homes & set(crawled["second"])  # nobody is asked for the way again


def test_a_site_where_nothing_leads_to_a_column_is_not_found_in_site_health(crawled):
    conn = sqlite3.connect(crawled["db"])
    status, via = conn.execute("select discovery_status, discovered_via from sites where site_id = 'bare'").fetchone()
    assert status == "not_found" and "no annual-report column found" in via
    health = conn.execute("select discovery_status from site_health where site_id = 'bare'").fetchone()
    assert health == ("not_found",)
    coverage = {r[0] for r in conn.execute("select distinct status from coverage where agency = '无栏目县'")}
    assert coverage == {"no_column"}  # the coverage view knows we could not look
    asked = [urlsplit(u).path for u in crawled["first"] if urlsplit(u).hostname == LoggedWeb.BARE_HOST]
    assert sorted(asked) == sorted(["/robots.txt", "/", "/zfxxgk/", "/xxgk/", "/zwgk/", "/gkmlpt/", "/zfxxgknb/"])
