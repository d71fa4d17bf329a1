"""A file slow to read does not stop the crawl: the reactor downloads on while a worker reads it.

Two loopback servers play two county sites (127.0.0.1 and 127.0.0.2). Site A's first report
links a DOCX that passes every limit of the readers yet takes python-docx some 12 s (230,000
one-word paragraphs); its second report is a 10 MB table that a reader needs 400 MB for. Site B
has ten ordinary reports, each answered after 0.8 s, so its requests go on for seconds. The
crawl (``scrapy crawl reports`` in a subprocess) reads with two workers, 3 s and 300 MB each:
the DOCX is killed at 3 s and recorded ``too_complex``, its page stored all the same; the big
table's page is recorded as not read; and site B's pages are asked for while the DOCX is read.
Read in the reactor's thread (as before), no request left during those seconds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 3
ARTICLES = 10
PAGE = (
    '<html><head><meta charset="utf-8"><title>{t}</title></head><body><div class="TRS_Editor">'
    "<p>{t}。本县依法公开政府信息，全年主动公开信息一千余条。</p>{links}</div></body></html>"
)


def slow_docx() -> bytes:
    """8 MB of XML in one-word paragraphs: under MAX_XML_BYTES, about 12 s for python-docx."""
    import docx

    made = io.BytesIO()
    docx.Document().save(made)
    source = zipfile.ZipFile(made)
    body = b"<w:p><w:r><w:t>\xe5\x85\xac\xe5\xbc\x80</w:t></w:r></w:p>" * 230_000
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document '
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + body
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def big_table_page(title: str) -> bytes:
    rows = "".join("<tr>" + "<td>12</td>" * 19 + f"<td>r{r}</td></tr>" for r in range(46_000))
    return PAGE.format(t=title, links=f"<table>{rows}</table>").encode()


def _site(host: str, name: str, routes: dict, log: list, delay: float):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            arrived = time.monotonic()
            if self.path not in routes:
                self.send_error(404)
                return
            if self.path.startswith("/a"):
                time.sleep(delay)
            media_type, body = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            log.append((arrived, time.monotonic(), name, self.path))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_the_crawl_downloads_on_while_a_worker_reads_a_slow_file(tmp_path):
    html = "text/html; charset=utf-8"
    title_a = "甲县2023年政府信息公开工作年度报告"
    site_a = {
        "/robots.txt": ("text/plain", b""),
        "/index.html": (
            html,
            f'<html><body><ul><li><a href="a1.html">{title_a}</a></li>'
            f'<li><a href="a2.html">甲县2022年政府信息公开工作年度报告</a></li></ul></body></html>'.encode(),
        ),
        "/a1.html": (html, PAGE.format(t=title_a, links='<a href="slow.docx">年报全文.docx</a>').encode()),
        "/slow.docx": ("application/octet-stream", slow_docx()),
        "/a2.html": (html, big_table_page("甲县2022年政府信息公开工作年度报告")),
    }
    titles_b = [f"乙县{2013 + i}年政府信息公开工作年度报告" for i in range(ARTICLES)]
    site_b = {
        "/robots.txt": ("text/plain", b""),
        "/index.html": (
            html,
            (
                "<html><body><ul>"
                + "".join(f'<li><a href="a{i}.html">{t}</a></li>' for i, t in enumerate(titles_b))
                + "</ul></body></html>"
            ).encode(),
        ),
        **{f"/a{i}.html": (html, PAGE.format(t=t, links="").encode()) for i, t in enumerate(titles_b)},
    }
    log: list[tuple[float, float, str, str]] = []  # (arrived, answered, site, path)
    servers = [_site("127.0.0.1", "A", site_a, log, 0), _site("127.0.0.2", "B", site_b, log, 0.8)]
    db = tmp_path / "nianbao.db"
    try:
        registry = tmp_path / "sites.csv"
        registry.write_text(
            "site_id,name,adcode,level,platform,start_urls\n"
            + "".join(
                f"{n},{n}县人民政府,,county,generic,http://{s.server_address[0]}:{s.server_address[1]}/index.html\n"
                for n, s in zip("ab", servers)
            ),
            encoding="utf-8",
        )
        settings = {
            "NIANBAO_DB": db,
            "NIANBAO_ALLOW_PRIVATE": 1,
            "NIANBAO_READ_WORKERS": 2,
            "NIANBAO_READ_TIMEOUT": TIMEOUT,
            "NIANBAO_READ_MEMORY": 300,
            "LOG_LEVEL": "WARNING",
            "AUTOTHROTTLE_ENABLED": 0,
            "DOWNLOAD_DELAY": 0,
        }
        out = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"sites={registry}"]
            + [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
        )
        assert out.returncode == 0, out.stderr[-3000:]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

    archive = sqlite_utils.Database(db)
    a = f"http://127.0.0.1:{servers[0].server_address[1]}"
    [docx] = archive["attachments"].rows_where("url = ?", [f"{a}/slow.docx"])
    assert docx["status"] == "too_complex" and "NIANBAO_READ_TIMEOUT" in docx["message"]
    assert docx["media_type"].endswith("wordprocessingml.document") and docx["sha256"]
    page = archive["pages"].get(f"{a}/a1.html")
    assert page["report_id"] is not None  # the page is stored, its file marked
    [error] = archive["crawl_errors"].rows_where("url = ?", [f"{a}/a2.html"])
    assert error["kind"] == "pipeline" and "too_complex" in error["message"] and "memory" in error["message"]
    assert archive["reports"].count == 1 + ARTICLES

    # While a worker read the DOCX (from its arrival until it was killed), site B was still asked.
    [served] = [answered for _, answered, site, path in log if path == "/slow.docx"]
    during = [path for arrived, _, site, path in log if site == "B" and served + 0.5 < arrived < served + TIMEOUT - 0.3]
    assert len(during) >= 2, (during, sorted((round(t - served, 2), s, p) for t, _, s, p in log))
