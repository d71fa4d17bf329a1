"""A site that answers 503 with Retry-After is left alone that long, whole; other sites go on.

Two loopback servers play two county sites (127.0.0.1 and 127.0.0.2: Scrapy's slots are per
host name). Site A answers the first article asked with ``503, Retry-After: 2`` and every other page
slowly enough that, without the pause, its other articles would all be asked during those
2 s. The crawl is ``scrapy crawl reports`` in a subprocess, with no download delay and
AutoThrottle off, so only the pause can keep requests away; and still no site has more than two
requests open at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 10
RETRY_AFTER = 2
PAGE = (
    '<html><head><meta charset="utf-8"><title>{t}</title></head><body><div class="TRS_Editor">'
    "<p>{t}。本县依法公开政府信息，全年主动公开信息一千余条。</p></div></body></html>"
)


def _site(host: str, log: list, spans: list, name: str):
    """A site on ``host``: a list of ARTICLES articles; the first article site A is asked for answers 503."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            arrived = time.monotonic()
            if self.path == "/index.html":
                links = "".join(
                    f'<li><a href="a{i}.html">{name}2023年政府信息公开工作年度报告（{i}）</a></li>'
                    for i in range(1, ARTICLES + 1)
                )
                return self._answer(200, f"<html><body><ul>{links}</ul></body></html>", arrived)
            if not self.path.startswith("/a"):
                return self._answer(404, "not here", arrived)
            if name == "A" and not any(s == "A" and p.startswith("/a") for _, s, p, _ in log):  # A's first article
                return self._answer(503, "busy", arrived, ("Retry-After", str(RETRY_AFTER)))
            time.sleep(0.3 if name == "A" else 0.6)  # B takes long enough to be crawled during A's pause
            self._answer(200, PAGE.format(t=f"{name}县2023年政府信息公开工作年度报告{self.path}"), arrived)

        def _answer(self, status, text, arrived, *headers):
            body = text.encode()
            self.send_response(status)
            for header in (("Content-Type", "text/html; charset=utf-8"), *headers):
                self.send_header(*header)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            log.append((arrived, name, self.path, status))
            spans.append((arrived, time.monotonic(), name))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_retry_after_leaves_the_whole_site_alone_and_other_sites_go_on(tmp_path):
    log: list[tuple[float, str, str, int]] = []  # (arrival, site, path, status) of every request
    spans: list[tuple[float, float, str]] = []  # (arrival, answered, site)
    servers = [_site("127.0.0.1", log, spans, "A"), _site("127.0.0.2", log, spans, "B")]
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
                f"NIANBAO_DB={tmp_path / 'nianbao.db'}",
                "-s",
                "NIANBAO_ALLOW_PRIVATE=1",
                "-s",
                "LOG_LEVEL=WARNING",
                "-s",
                "AUTOTHROTTLE_ENABLED=0",
                "-s",
                "DOWNLOAD_DELAY=0",
            ],
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
    [busy] = [at for at, site, path, status in log if status == 503]

    def during(site):
        return [path for at, s, path, _ in log if s == site and busy < at < busy + RETRY_AFTER - 0.1]

    assert during("A") == [], during("A")  # without the pause: A's other articles, at 2 at a time
    assert len(during("B")) >= 2  # site B was crawled meanwhile
    [first] = [path for at, site, path, status in log if status == 503]
    retried = [at for at, site, path, status in log if site == "A" and path == first and status == 200]
    assert retried and retried[0] >= busy + RETRY_AFTER - 0.1
    assert sum(1 for _, site, path, status in log if path.startswith("/a") and status == 200) == 2 * ARTICLES
    # Two at a time per site, with DOWNLOAD_DELAY 0 too (Scrapy alone sent 8 at once: see MIN_DOWNLOAD_DELAY).
    for site in "AB":
        mine = [(start, end) for start, end, s in spans if s == site]
        assert max(sum(1 for s2, e2 in mine if s2 <= start < e2) for start, _ in mine) <= 2, site
