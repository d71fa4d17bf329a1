"""Files in a real crawl: a page whose files fail is stored all the same, each failure said.

A small loopback server plays a county site: one report page links a dead file, a web page
posing as a .docx and a file over the size cap; another report is only a PDF. The crawl goes
through Scrapy (``scrapy crawl reports``) in a subprocess, with the private-address guard
lifted for 127.0.0.1 only because the test's own server is there.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from archive.search import search
from crawler.samples import files

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="TRS_Editor"><p>{title}全文以附件形式发布，欢迎下载查阅。</p>{links}</div></body></html>"""


@pytest.fixture(scope="module")
def county_site(web1):
    pdf_report = web1.world.documents["dingxi-2019"]
    routes = {
        "/robots.txt": ("text/plain", b""),
        "/nb/index.html": ("text/html; charset=utf-8", (
            '<html><body><ul><li><a href="a1.html">示例县2018年政府信息公开工作年度报告</a></li>'
            f'<li><a href="a2.html">{pdf_report.title}</a></li></ul></body></html>').encode()),
        "/nb/a1.html": ("text/html; charset=utf-8", PAGE.format(
            title="示例县2018年政府信息公开工作年度报告",
            links='<a href="gone.pdf">年报.pdf</a><a href="fake.docx">年报.docx</a><a href="big.pdf">附表.pdf</a>'
        ).encode()),
        "/nb/fake.docx": ("application/octet-stream", b"<!DOCTYPE html><html><body>error</body></html>"),
        "/nb/big.pdf": ("application/pdf", b"%PDF-1.4\n" + b"0" * 60000),
        "/nb/a2.html": ("text/html; charset=utf-8", PAGE.format(
            title=pdf_report.title, links='<a href="P0201900001.pdf">报告全文.pdf</a>').encode()),
        "/nb/P0201900001.pdf": ("application/pdf", files.pdf_bytes(pdf_report)),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path not in routes:
                self.send_error(404)
                return
            media_type, body = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", pdf_report
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def crawled(county_site, tmp_path_factory):
    base, _ = county_site
    tmp = tmp_path_factory.mktemp("files")
    registry = tmp / "sites.csv"
    registry.write_text("site_id,name,adcode,level,platform,start_urls\n"
                        f"county,示例县人民政府,621102,county,generic,{base}/nb/index.html\n", encoding="utf-8")
    db = tmp / "nianbao.db"
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={registry}",
                          "-s", f"NIANBAO_DB={db}", "-s", "NIANBAO_ALLOW_PRIVATE=1",
                          "-s", "NIANBAO_ATTACHMENT_MAXSIZE=20000", "-s", "LOG_LEVEL=WARNING",
                          "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return sqlite_utils.Database(db), base


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
    _, pdf_report = county_site
    report = next(db["reports"].rows_where("url = ?", [f"{base}/nb/a2.html"]))
    assert report["report_year"] == pdf_report.year and report["stats_template"] == "2019"
    assert report["stats_source"] == f"{base}/nb/P0201900001.pdf"
    assert report["stats_cells"] == len(pdf_report.cells)
    paragraph = next(b.text for b in pdf_report.blocks if b.kind == "p")
    assert paragraph in report["text"]
    # Found by search like any report: a phrase from deep inside the PDF's text.
    assert [r["id"] for r in search(db, f'"{paragraph[12:20]}"')] == [report["id"]]
