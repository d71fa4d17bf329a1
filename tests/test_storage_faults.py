"""Storage faults: a disk that fills up mid-crawl and a read-only archive end the crawl with a clear error,
and leave no partial rows.

The full disk is the kernel's file-size limit (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored) on the
crawl process: every write past the limit fails, as on a full disk, for any user and without
mounting anything. The read-only archive is a file the crawl's user may not write (as root,
whom permissions do not stop, the crawl runs as ``nobody``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import samples

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
SITES = ("dingxi", "kashi", "yichun")


def _env(proxy: str) -> dict:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


def _crawl(proxy, registry, db, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        env=_env(proxy),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=preexec,
    )


def _cause(line: str) -> str:
    """What an ``Error: cannot write …: CAUSE (hint)`` line says went wrong, without the path and the hint
    (both would match anything: the hint names "disk full or read-only", the test's folders "full")."""
    return line.split(": ", 2)[-1].removesuffix(" (disk full or read-only?)")


def _state(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []

        def one(sql):
            return conn.execute(sql).fetchone()[0]

        return {
            "reports": one("select count(*) from reports"),
            "pages": one("select count(*) from pages"),
            "orphan_reports": one(
                "select count(*) from reports r where not exists "
                "(select 1 from sightings s where s.report_id = r.id) or not exists "
                "(select 1 from report_versions v where v.report_id = r.id)"
            ),
            "dangling_pages": one(
                "select count(*) from pages p where p.report_id is not null and not exists "
                "(select 1 from reports r where r.id = p.report_id)"
            ),
            "unindexed": one(
                "select count(*) from reports r where not exists (select 1 from report_search s where s.rowid = r.id)"
            ),
            "miscounted": one(
                "select count(*) from reports r where r.sightings != "
                "(select count(*) from sightings s where s.report_id = r.id)"
            ),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def registry(tmp_path_factory, web1):
    lines = samples.registry_csv(web1.world).splitlines()
    path = tmp_path_factory.mktemp("storage") / "sites.csv"
    path.write_text(
        "\n".join([lines[0], *(line for line in lines[1:] if line.split(",")[0] in SITES)]) + "\n", encoding="utf-8"
    )
    return path


def test_disk_full_stops_the_crawl_cleanly_and_a_later_crawl_finishes(tmp_path, proxy1, registry, rows1):
    db = tmp_path / "full.db"
    limit = 2000 * 1024  # the WAL reaches it about a third into the crawl

    def full_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = _crawl(proxy1, registry, db, full_disk)
    assert out.returncode != 0
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: cannot write the archive") and _cause(last) in (
        "disk I/O error",
        "database or disk is full",
        "[Errno 27] File too large",
    ), last
    partial = _state(db)
    assert {k: v for k, v in partial.items() if k not in ("reports", "pages")} == {
        "orphan_reports": 0,
        "dangling_pages": 0,
        "unindexed": 0,
        "miscounted": 0,
    }
    truth = {r["report_id"] for r in rows1 if r["site_id"] in SITES and r["kind"] == "report"}
    assert 0 < partial["reports"] < len(truth)  # it did fail in the middle

    again = _crawl(proxy1, registry, db)
    assert again.returncode == 0, again.stderr[-2000:]
    done = _state(db)
    assert done["reports"] == len(truth) and done["orphan_reports"] == done["miscounted"] == 0


@contextlib.contextmanager
def read_only_archive(source: Path, tmp: Path, which: str):
    """A copy of ``source`` the crawl cannot write. ``which``: "folder" (nothing beside it can be written
    either) or "file" (only the archive is read-only). For a normal user, file modes; for root, whom modes do
    not stop, a tmpfs mounted read-only, linked from a writable folder for "file" (skipped where root may
    not mount, as in most containers)."""
    ro, rw = tmp / "ro", tmp / "rw"
    ro.mkdir()
    rw.mkdir()
    db = ro / "nianbao.db"
    mounted = False
    if os.geteuid() == 0:
        out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(ro)], capture_output=True)
        if out.returncode != 0:
            pytest.skip(f"running as root and cannot mount a read-only tmpfs: {out.stderr.decode().strip()}")
        mounted = True
    try:
        shutil.copy(source, db)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        else:
            db.chmod(0o444)
            if which == "folder":
                ro.chmod(0o555)
        if which == "file":
            (rw / "nianbao.db").symlink_to(db)
            yield rw / "nianbao.db", db
        else:
            yield db, db
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)], check=True)
        else:
            ro.chmod(0o755)


@pytest.mark.parametrize("which", ["file", "folder"])
def test_read_only_archive_is_refused_and_left_unchanged(tmp_path, proxy1, registry, sample_archive, which):
    with read_only_archive(sample_archive, tmp_path, which) as (db, real):
        before = hashlib.sha256(real.read_bytes()).hexdigest()
        out = _crawl(proxy1, registry, db)
        assert out.returncode != 0
        last = out.stderr.strip().splitlines()[-1]
        assert last.startswith("Error: cannot write"), out.stderr[-2000:]
        assert any(
            cause in _cause(last)
            for cause in (
                "attempt to write a readonly database",
                "Read-only file system",
                "unable to open database file",
                "Permission denied",
            )
        ), last
        assert hashlib.sha256(real.read_bytes()).hexdigest() == before
        assert not Path(f"{real}-wal").exists()
