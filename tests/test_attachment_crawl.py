"""Files in a real crawl: a page whose files fail is stored all the same, each failure said.

A small loopback server plays a county site: one report page links a dead file, a web page
posing as a .docx and a file over the size cap; another report is only a PDF. Like many real
sites it answers every page with a 200 but serves its PDFs statically, with an ETag and 304s. The crawl goes
through Scrapy (``scrapy crawl reports``) in a subprocess, with the private-address guard
lifted for 127.0.0.1 only because the test's own server is there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from archive.store.search import search
from crawler.samples import files

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="TRS_Editor"><p>{title}全文以附件形式发布，欢迎下载查阅。</p>{links}</div></body></html>"""


@pytest.fixture(scope="module")
def county_site(web1):
    pdf_report = web1.world.documents["dingxi-2019"]
    routes = {
        "/robots.txt": ("text/plain", b""),
        "/nb/index.html": (
            "text/html; charset=utf-8",
            (
                '<html><body><ul><li><a href="a1.html">示例县2018年政府信息公开工作年度报告</a></li>'
                f'<li><a href="a2.html">{pdf_report.title}</a></li></ul></body></html>'
            ).encode(),
        ),
        "/nb/a1.html": (
            "text/html; charset=utf-8",
            PAGE.format(
                title="示例县2018年政府信息公开工作年度报告",
                links='<a href="gone.pdf">年报.pdf</a><a href="fake.docx">年报.docx</a><a href="big.pdf">附表.pdf</a>',
            ).encode(),
        ),
        "/nb/fake.docx": ("application/octet-stream", b"<!DOCTYPE html><html><body>error</body></html>"),
        "/nb/big.pdf": ("application/pdf", b"%PDF-1.4\n" + b"0" * 60000),
        "/nb/a2.html": (
            "text/html; charset=utf-8",
            PAGE.format(title=pdf_report.title, links='<a href="P0201900001.pdf">报告全文.pdf</a>').encode(),
        ),
        "/nb/P0201900001.pdf": ("application/pdf", files.pdf_bytes(pdf_report)),
    }

    log = []  # (path, status) of every request, in order

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            AGENTS.append(self.headers.get("User-Agent"))
            if self.path not in routes:
                log.append((self.path, 404))
                self.send_error(404)
                return
            media_type, body = routes[self.path]
            etag = f'"{hashlib.sha1(body).hexdigest()[:12]}"' if media_type == "application/pdf" else None
            if etag and self.headers.get("If-None-Match") == etag:
                log.append((self.path, 304))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            log.append((self.path, 200))
            self.send_response(200)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", pdf_report, log
    server.shutdown()
    server.server_close()


AGENTS: list[str] = []  # the User-Agent of every request the county site received


@pytest.fixture(scope="module")
def crawled(county_site, tmp_path_factory):
    base = county_site[0]
    tmp = tmp_path_factory.mktemp("files")
    registry = tmp / "sites.csv"
    registry.write_text(
        "site_id,name,adcode,level,platform,start_urls\n"
        f"county,示例县人民政府,621102,county,generic,{base}/nb/index.html\n",
        encoding="utf-8",
    )
    db = tmp / "nianbao.db"
    crawl(registry, db)
    return sqlite_utils.Database(db), base


def crawl(registry: Path, db: Path, *settings: str) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "reports",
            "-a",
            f"sites={registry}",
            "-s",
            f"NIANBAO_DB={db}",
            "-s",
            "NIANBAO_ALLOW_PRIVATE=1",
            "-s",
            "NIANBAO_ATTACHMENT_MAXSIZE=20000",
            "-s",
            "LOG_LEVEL=WARNING",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "DOWNLOAD_DELAY=0",
            *[arg for setting in settings for arg in ("-s", setting)],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]


def _copy_archive(db: sqlite_utils.Database, dest: Path) -> None:
    """The archive, its registry and its kept files, copied for a crawl that must not change the original."""
    source = Path(db.conn.execute("pragma database_list").fetchone()[2]).parent
    for name in ("nianbao.db", "sites.csv", "files"):
        (shutil.copytree if (source / name).is_dir() else shutil.copy)(source / name, dest / name)


def test_failed_files_are_recorded_with_the_page_which_is_stored(crawled):
    db, base = crawled
    files_by_url = {a["url"]: a for a in db["attachments"].rows}
    assert files_by_url[f"{base}/nb/gone.pdf"]["status"] == "fetch_failed"
    assert "http_404" in files_by_url[f"{base}/nb/gone.pdf"]["message"]
    assert files_by_url[f"{base}/nb/fake.docx"]["status"] == "not_a_file"
    assert files_by_url[f"{base}/nb/big.pdf"]["status"] == "fetch_failed"
    page = db["pages"].get(f"{base}/nb/a1.html")
    assert page["status"] == 200 and page["report_id"] is not None


def test_a_report_that_is_only_a_pdf_is_a_full_report_with_its_tables(crawled, county_site):
    db, base = crawled
    pdf_report = county_site[1]
    report = next(db["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"]))
    assert report["report_year"] == pdf_report.year and report["stats_template"] == "2019"
    assert report["stats_source"] == f"{base}/nb/P0201900001.pdf"
    assert report["stats_cells"] == len(pdf_report.cells)
    paragraph = next(b.text for b in pdf_report.blocks if b.kind == "p")
    assert paragraph in report["text"]
    # Found by search like any report: a phrase from deep inside the PDF's text.
    assert [r["id"] for r in search(db, f'"{paragraph[12:20]}"')] == [report["id"]]


def test_a_page_fetched_again_asks_for_its_kept_files_conditionally(crawled, county_site, tmp_path):
    """The page answers 200 again; its PDF answers 304 and the kept bytes stand in: the report is unchanged."""
    db, base = crawled
    _, pdf_report, log = county_site
    _copy_archive(db, tmp_path)
    pdf = f"{base}/nb/P0201900001.pdf"
    first = next(db["attachments"].rows_where("url = ?", [pdf]))
    assert first["etag"] and first["status"] == "ok"
    before = next(db["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"]))

    del log[:]
    crawl(tmp_path / "sites.csv", tmp_path / "nianbao.db", "NIANBAO_REFETCH_DAYS=0")
    assert ("/nb/a2.html", 200) in log and ("/nb/P0201900001.pdf", 304) in log
    assert ("/nb/P0201900001.pdf", 200) not in log
    again = sqlite_utils.Database(tmp_path / "nianbao.db")
    report = next(again["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"]))
    assert report["versions"] == 1 and report["content_hash"] == before["content_hash"]
    assert report["stats_cells"] == len(pdf_report.cells)
    row = next(again["attachments"].rows_where("url = ?", [pdf]))
    assert {k: row[k] for k in ("sha256", "status", "text", "etag")} == {
        k: first[k] for k in ("sha256", "status", "text", "etag")
    }

    # Without the kept bytes nothing stands in for them: the file is asked for whole.
    shutil.rmtree(tmp_path / "files")
    del log[:]
    crawl(tmp_path / "sites.csv", tmp_path / "nianbao.db", "NIANBAO_REFETCH_DAYS=0")
    assert ("/nb/P0201900001.pdf", 200) in log and ("/nb/P0201900001.pdf", 304) not in log
    assert (tmp_path / "files" / first["sha256"][:2] / first["sha256"]).exists()

    # Damaged kept bytes (they no longer hash to their name) do not stand in either: asked for whole, kept again.
    kept = tmp_path / "files" / first["sha256"][:2] / first["sha256"]
    kept.write_bytes(b"%PDF-1.4 damaged on disk")
    del log[:]
    crawl(tmp_path / "sites.csv", tmp_path / "nianbao.db", "NIANBAO_REFETCH_DAYS=0")
    assert ("/nb/P0201900001.pdf", 304) in log and ("/nb/P0201900001.pdf", 200) in log
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == first["sha256"]
    report = next(
        sqlite_utils.Database(tmp_path / "nianbao.db")["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"])
    )
    assert report["versions"] == 1 and report["content_hash"] == before["content_hash"]


def test_requests_name_the_contact_the_operator_set(county_site, tmp_path):
    base = county_site[0]
    registry = tmp_path / "sites.csv"
    registry.write_text(
        "site_id,name,adcode,level,platform,start_urls\n"
        f"county,示例县人民政府,621102,county,generic,{base}/nb/index.html\n",
        encoding="utf-8",
    )
    del AGENTS[:]
    crawl(registry, tmp_path / "nianbao.db", "NIANBAO_CONTACT_URL=mailto:archive@example.org")
    assert len(AGENTS) >= 3 and set(AGENTS) == {
        "nianbao/0.1 (archive of government information-disclosure annual reports; +mailto:archive@example.org)"
    }


def test_workers_that_see_the_kept_files_ask_for_them_conditionally(crawled, county_site, tmp_path, redis_url):
    """Distributed: a worker started with the archive's files/ (as `nianbao crawl --workers` starts them)
    gets the 304 and the kept bytes stand in; a worker on another machine, without them, fetches the file whole.
    Either way the report is unchanged."""
    from crawler.distributed.coordinator import Coordinator

    db, base = crawled
    _, pdf_report, log = county_site
    _copy_archive(db, tmp_path)
    before = next(db["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"]))
    overrides = {
        "NIANBAO_REFETCH_DAYS": 0,
        "NIANBAO_ATTACHMENT_MAXSIZE": 20000,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
    }

    def night(prefix: str, local_workers: int) -> dict:
        return Coordinator(
            tmp_path / "sites.csv",
            tmp_path / "nianbao.db",
            redis_url,
            allow_private=True,
            progress=False,
            overrides=overrides,
            prefix=prefix,
            local_workers=local_workers,
        ).run()

    def report() -> dict:
        return next(
            sqlite_utils.Database(tmp_path / "nianbao.db")["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"])
        )

    del log[:]
    assert night("local", local_workers=1)["status"] == "finished"
    assert ("/nb/a2.html", 200) in log and ("/nb/P0201900001.pdf", 304) in log
    assert ("/nb/P0201900001.pdf", 200) not in log
    assert (report()["versions"], report()["content_hash"]) == (1, before["content_hash"])
    assert report()["stats_cells"] == len(pdf_report.cells)

    del log[:]
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "redis_url")}
    remote = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "archive.cli",
            "worker",
            "--redis",
            redis_url,
            "--prefix",
            "remote",
            "--wait",
            "60",
            "--warc-dir",
            str(tmp_path / "warc"),
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert night("remote", local_workers=0)["status"] == "finished"
    _, err = remote.communicate(timeout=60)
    assert remote.returncode == 0, err[-3000:]
    assert ("/nb/P0201900001.pdf", 200) in log and ("/nb/P0201900001.pdf", 304) not in log
    assert (report()["versions"], report()["content_hash"]) == (1, before["content_hash"])
