"""Every way into a crawl is guarded: one lock by the archive's real path, one-line errors for bad
registry and archive files, and the private-address guard at connect time (DNS rebinding)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.store.lock import ArchiveLocked, crawl_lock
from crawler import adapters, registry
from crawler.middlewares import private_reason, refused_address

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
SCRAPY = shutil.which("scrapy", path=str(Path(sys.executable).parent)) or "scrapy"
HEADER = "site_id,name,adcode,level,platform,start_urls\n"
GOOD = HEADER + "a,示例县,,county,generic,http://www.a.gov.test/xxgk/\n"


def _no_proxy_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return env


# -- one-line errors ----------------------------------------------------------------------------

BAD_REGISTRIES = {
    "gbk": (
        GOOD.replace("示例县", "").encode("utf-8") + "甲,乙县,,county,generic,http://b.test/\n".encode("gbk"),
        "must be UTF-8",
    ),
    "utf16": (GOOD.encode("utf-16"), "UTF-16"),
    "binary": (bytes(range(256)) * 4, "not a text file"),
    "empty": (b"", "is empty"),
    "blank": (b"\n\n  \n", "is empty"),
    "header": (b"id,title,url\n1,x,http://a.test/\n", "the header must name"),
}


@pytest.mark.parametrize("name", sorted(BAD_REGISTRIES))
def test_a_bad_registry_is_one_line_and_nothing_is_written(tmp_path, name):
    data, said = BAD_REGISTRIES[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    db = tmp_path / "a.db"
    result = CliRunner().invoke(main, ["crawl", "--sites", str(path), "--db", str(db)])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and said in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.output and not db.exists()


def test_a_file_that_is_not_an_archive_is_refused_in_one_line_and_left_as_it_was(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "reports.csv"
    db.write_text("id,title\n1,不是数据库\n", encoding="utf-8")
    before = db.read_bytes()
    result = CliRunner().invoke(main, ["crawl", "--sites", str(sites), "--db", str(db)])
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert "is not a SQLite archive" in result.output and "disk full" not in result.output
    assert db.read_bytes() == before


def test_a_start_url_two_rows_share_is_reported_not_dropped_silently():
    text = GOOD + "b,另一县,,county,generic,http://www.a.gov.test/xxgk/ http://www.b.gov.test/\n"
    sites, errors = registry.parse(text, tuple(adapters.ADAPTERS))
    assert [s.site_id for s in sites] == ["a"]
    assert len(errors) == 1 and "http://www.a.gov.test/xxgk/ (also a's)" in errors[0] and ":3:" in errors[0]


# -- one lock for every way in ------------------------------------------------------------------


def test_the_lock_is_the_archives_real_path_and_reentrant_in_one_process(tmp_path):
    db = tmp_path / "nianbao.db"
    link = tmp_path / "link.db"
    link.symlink_to(db)
    with crawl_lock(db):
        with crawl_lock(link):  # the same archive, by another name: the same lock, held here already
            pass
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(f"""
            from archive.store.lock import ArchiveLocked, crawl_lock
            try:
                with crawl_lock({str(link)!r}):
                    print("locked")
            except ArchiveLocked as e:
                print("refused:", e)
        """),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    assert child.stdout.startswith("refused: another crawl is running"), child.stdout + child.stderr
    with crawl_lock(link):  # released by both holders
        pass
    assert issubclass(ArchiveLocked, Exception)


def test_scrapy_crawl_and_a_symlinked_db_take_the_same_lock_as_nianbao_crawl(tmp_path):
    """A crawl running on the archive (its lock held) refuses ``scrapy crawl reports`` and a
    ``nianbao crawl`` through a symlink alike; neither starts a run nor marks one interrupted."""
    sites = tmp_path / "sites.csv"
    sites.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "nianbao.db"
    link = tmp_path / "elsewhere.db"
    link.symlink_to(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys, time
        from archive.store import Archive
        from archive.store.lock import crawl_lock
        with crawl_lock({str(db)!r}):
            archive = Archive({str(db)!r})
            archive.start_run(1)
            print("running", flush=True)
            sys.stdin.readline()
    """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "running"
        env = {**_no_proxy_env(), "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
        by_scrapy = subprocess.run(
            [SCRAPY, "crawl", "reports", "-a", f"sites={sites}", "-s", f"NIANBAO_DB={db}", "-s", "LOG_LEVEL=ERROR"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        by_link = subprocess.run(
            [NIANBAO, "crawl", "--sites", str(sites), "--db", str(link)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=_no_proxy_env(),
        )
    finally:
        holder.communicate("\n", timeout=30)
    assert "another crawl is running" in by_scrapy.stderr, by_scrapy.stderr[-2000:]
    assert by_link.returncode == 1 and "another crawl is running" in by_link.stderr, by_link.stderr
    assert "Traceback" not in by_link.stderr
    runs = sqlite3.connect(db).execute("select status from crawl_runs").fetchall()
    assert runs == [("running",)]  # the holder's run: not marked interrupted, and no second run


# -- the private-address guard ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["[::ffff:0:7f00:1]", "[::127.0.0.1]", "[::ffff:0:a00:1]", "[::10.0.0.1]", "[::ffff:0:a9fe:a9fe]"]
)
def test_ipv6_forms_that_carry_a_private_ipv4_address_are_refused(host):
    assert private_reason(host)


def test_public_addresses_in_those_forms_pass():
    assert private_reason("[::ffff:0:808:808]") is None and private_reason("[::8.8.8.8]") is None


def test_the_resolver_refuses_a_private_address_but_not_a_configured_proxy():
    assert refused_address("rebind.example", "127.0.0.1")
    assert refused_address("rebind.example", "93.184.216.34") is None
    assert refused_address("proxy.internal", "10.0.0.8", frozenset({"proxy.internal"})) is None


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Counting.hits.append(self.path)
        body = "<html><body><a href='/a.html'>2023年政府信息公开工作年度报告</a></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_name_that_rebinds_to_loopback_at_connect_time_is_never_connected_to(tmp_path):
    """DNS rebinding: the name looks public when the guard asks, and is 127.0.0.1 when the
    connection resolves it. The connection is refused; the local server sees nothing."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    _Counting.hits = []
    sites = tmp_path / "sites.csv"
    sites.write_text(HEADER + f"rebind,重绑定县,,county,generic,http://rebind.example:{port}/xxgk/\n", encoding="utf-8")
    db = tmp_path / "nianbao.db"
    script = textwrap.dedent(f"""
        import socket
        real = socket.getaddrinfo
        def public(host, *args, **kwargs):  # what the guard's look-up sees
            if host == "rebind.example":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0))]
            return real(host, *args, **kwargs)
        socket.getaddrinfo = public
        socket.gethostbyname = lambda host: "127.0.0.1" if host == "rebind.example" else host  # the connection's
        from archive.cli import main
        main(["crawl", "--sites", {str(sites)!r}, "--db", {str(db)!r}])
    """)
    try:
        out = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=_no_proxy_env(),
            timeout=120,
        )
    finally:
        server.shutdown()
    assert _Counting.hits == [], _Counting.hits
    kinds = sqlite3.connect(db).execute("select kind, message from crawl_errors").fetchall()
    assert kinds and all(kind == "private_address" for kind, _ in kinds), (kinds, out.stderr[-2000:])
    assert any("at connect time" in message for _, message in kinds)
    assert socket.gethostbyname("localhost")  # this process's resolver was not touched
