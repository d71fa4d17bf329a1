"""A crawl killed with SIGKILL at any moment, then started again, finishes the work and loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler import samples

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"


def _env(proxy: str) -> dict:
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


def _start(proxy, registry, db):
    return subprocess.Popen(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        env=_env(proxy),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _state(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        return {
            "reports": conn.execute("select count(*), count(distinct content_hash) from reports").fetchone(),
            "sightings": conn.execute("select count(*), count(distinct url) from sightings").fetchone()[0],
            "pages": conn.execute("select count(*) from pages").fetchone()[0],
            "orphans": conn.execute(
                "select count(*) from reports r where not exists (select 1 from sightings s where s.report_id = r.id)"
            ).fetchone()[0],
            "versions": conn.execute("select count(*) from report_versions").fetchone()[0],
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def registry(tmp_path_factory, web1):
    path = tmp_path_factory.mktemp("crash") / "sites.csv"
    path.write_text(samples.registry_csv(web1.world), encoding="utf-8")
    return path


def test_killed_crawls_resume_to_the_same_archive(tmp_path, proxy1, registry):
    clean = tmp_path / "clean.db"
    subprocess.run(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(clean)],
        env=_env(proxy1),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    expected = _state(clean)

    db = tmp_path / "killed.db"
    for delay in (1.5, 2.5, 3.5):
        proc = _start(proxy1, registry, db)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if db.exists():
            state = _state(db)  # after every kill: a sound file, nothing doubled, no half-written report
            assert state["reports"][0] == state["reports"][1] and state["orphans"] == 0
    finished = subprocess.run(
        [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
        env=_env(proxy1),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert _state(db) == expected
    statuses = [r[0] for r in sqlite3.connect(db).execute("select status from crawl_runs order by id")]
    assert statuses[-1] == "finished" and "running" not in statuses


def test_a_second_crawl_on_the_same_archive_is_refused(tmp_path, proxy1, registry):
    db = tmp_path / "locked.db"
    first = _start(proxy1, registry, db)
    try:
        time.sleep(1.0)
        second = subprocess.run(
            [NIANBAO, "crawl", "--sites", str(registry), "--db", str(db)],
            env=_env(proxy1),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1 and "another crawl is running" in second.stderr
    finally:
        first.wait(timeout=120)
    assert first.returncode == 0
