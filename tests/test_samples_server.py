"""The sample web behind a real HTTP proxy on 127.0.0.1, as a crawler with http_proxy sees it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from crawler import samples
from crawler.samples.server import SampleServer


def _opener(proxy: str) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy}))


def _get(proxy: str, url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener(proxy).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_proxy_serves_lists_articles_and_endpoints(proxy1, rows1):
    for kind in ("list", "api", "report", "other", "robots"):
        row = next(r for r in rows1 if r["kind"] == kind)
        status, headers, body = _get(proxy1, row["url"])
        assert status == 200 and body, row["url"]


def test_proxy_serves_the_gbk_page_with_its_broken_charset(proxy1, web1, rows1):
    site = next(s for s in web1.world.sites if s.encoding == "gbk")
    row = next(r for r in rows1 if r["site_id"] == site.site_id and r["kind"] == "report")
    status, headers, body = _get(proxy1, row["url"])
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert row["title"].encode("gbk") in body


def test_proxy_follows_http_semantics(proxy1, rows1):
    moved = next(r for r in rows1 if r["kind"] == "redirect")
    status, headers, _ = _get(proxy1, moved["url"])  # urllib follows the 301
    assert status == 200
    report = next(r for r in rows1 if r["kind"] == "report")
    _, headers, _ = _get(proxy1, report["url"])
    status, _, body = _get(proxy1, report["url"], **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, _ = _get(proxy1, "http://www.unknown-site.test/")
    assert status == 502


def test_day_two_proxy_answers_404_for_the_deleted_report(web2, rows2):
    gone = next(r for r in rows2 if r["kind"] == "gone")
    with SampleServer(web2) as server:
        status, _, body = _get(server.proxy_url, gone["url"])
    assert status == 404 and "不存在".encode() in body


def test_connect_is_refused(proxy1):
    import http.client

    host, port = proxy1.rsplit("//", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("CONNECT", "www.yichun.gov.test:443")
    assert conn.getresponse().status == 501


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_x_fetches_through_the_proxy(proxy1, rows1):
    row = next(r for r in rows1 if r["kind"] == "api")
    out = subprocess.run(["curl", "-sS", "-x", proxy1, row["url"]], capture_output=True, timeout=20, check=True)
    assert out.stdout


def test_cli_serve_prints_the_proxy_and_serves_until_stopped():
    nianbao = shutil.which("nianbao") or os.path.join(os.path.dirname(sys.executable), "nianbao")
    proc = subprocess.Popen(
        [nianbao, "samples", "serve", "--port", "0", "--day", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        proxy = re.match(r"proxy: (http://127\.0\.0\.1:\d+)", line).group(1)
        rows = samples.page_rows(samples.build_world(day=2))
        gone = next(r for r in rows if r["kind"] == "gone")
        assert _get(proxy, gone["url"])[0] == 404
        report = next(r for r in rows if r["kind"] == "report")
        assert _get(proxy, report["url"])[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_manifest_and_registry(tmp_path):
    nianbao = shutil.which("nianbao") or os.path.join(os.path.dirname(sys.executable), "nianbao")
    out = subprocess.run([nianbao, "samples", "manifest"], capture_output=True, text=True, check=True, timeout=60)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows == json.loads(json.dumps(samples.page_rows(samples.build_world())))
    csv = subprocess.run([nianbao, "samples", "registry"], capture_output=True, text=True, check=True, timeout=60)
    assert csv.stdout.splitlines()[0] == "site_id,name,adcode,level,platform,start_urls"
    bad = subprocess.run([nianbao, "samples", "manifest", "--scale", "x"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "SITES:REPORTS" in bad.stderr
