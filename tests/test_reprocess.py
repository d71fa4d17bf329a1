"""``nianbao reprocess``: an archive's tables read again from its WARC and file evidence, nothing else touched."""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
DERIVED = ("report_stats", "stats_checks")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([NIANBAO, *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """The day-1 sample web crawled once (pages in WARCs, files under files/), as the demo does it."""
    db = tmp_path_factory.mktemp("crawled") / "nianbao.db"
    out = run("demo", "--no-serve", "--db", str(db))
    assert out.returncode == 0, out.stderr[-3000:]
    return db


@pytest.fixture
def archive(crawled, tmp_path) -> Path:
    """A copy of the crawl (archive, WARCs, files) that a test may change."""
    for name in ("nianbao.db", "warc", "files"):
        source = crawled.parent / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    return tmp_path / "nianbao.db"


def snapshot(db: Path, tables=DERIVED + ("reports", "report_versions", "sightings", "pages", "attachments")) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: sorted(conn.execute(f"select * from [{t}]").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def forget_tables(db: Path, where: str = "1") -> None:
    """Make an archive as one from before the tables were read: no cells, no checks, no stats_* columns."""
    conn = sqlite3.connect(db)
    with conn:
        ids = f"select id from reports where {where}"
        conn.execute(f"delete from report_stats where report_id in ({ids})")
        conn.execute(f"delete from stats_checks where report_id in ({ids}) or other_report_id in ({ids})")
        conn.execute(
            f"update reports set stats_template = null, stats_source = null, stats_cells = null, "
            f"stats_problems = null where {where}"
        )
    conn.close()


def test_an_archive_without_tables_gets_them_back_from_its_evidence_and_nothing_else_changes(archive):
    full = snapshot(archive)
    assert len(full["report_stats"]) > 5000 and len(full["stats_checks"]) == 4
    forget_tables(archive)
    dry = run("reprocess", "--db", str(archive), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert snapshot(archive, DERIVED) == {"report_stats": [], "stats_checks": []}  # a dry run writes nothing
    out = run("reprocess", "--db", str(archive))
    assert out.returncode == 0, out.stderr
    with_tables = sum(1 for r in full["reports"] if r[0] in {c[1] for c in full["report_stats"]})
    assert f"{with_tables} updated" in out.stdout and "0 skipped" in out.stdout
    assert (
        f"-> {len(full['report_stats'])}" in out.stdout
        and dry.stdout.replace("would be updated", "updated") == out.stdout
    )
    again = snapshot(archive)
    assert readings(again) == readings(full)  # ids are new; the readings and the failures are the same
    for table in ("report_versions", "sightings", "pages", "attachments"):
        assert again[table] == full[table]
    stats_columns = [
        i
        for i, (name,) in enumerate(sqlite3.connect(archive).execute("select name from pragma_table_info('reports')"))
        if not name.startswith("stats_")
    ]
    assert [[r[i] for i in stats_columns] for r in again["reports"]] == [
        [r[i] for i in stats_columns] for r in full["reports"]
    ]
    second = run("reprocess", "--db", str(archive))
    assert "0 updated" in second.stdout and snapshot(archive) == again  # a second run changes nothing


def test_a_report_whose_evidence_is_gone_is_skipped_and_keeps_what_it_had(archive):
    conn = sqlite3.connect(archive)
    page_report, warc_file = conn.execute(
        "select r.id, r.warc_file from reports r where r.stats_cells > 0 and not exists "
        "(select 1 from attachments a where a.report_id = r.id) order by r.id limit 1"
    ).fetchone()
    file_report, sha = conn.execute(
        "select r.id, a.sha256 from reports r join attachments a on a.report_id = r.id "
        "where r.stats_cells > 0 and a.sha256 is not null limit 1"
    ).fetchone()
    conn.close()
    before = snapshot(archive)
    (archive.parent / "files" / sha[:2] / sha).unlink()
    out = run("reprocess", "--db", str(archive), "--report", str(file_report), "--report", "99999")
    assert out.returncode == 0, out.stderr
    assert f"report {file_report}: skipped, attachment file {sha[:12]}" in out.stderr and "is missing" in out.stderr
    assert "report 99999: skipped, no such report" in out.stderr
    kept = archive.parent / "files" / sha[:2]
    kept.mkdir(exist_ok=True)
    (kept / sha).write_bytes(b"not the bytes it was read from")
    out = run("reprocess", "--db", str(archive), "--report", str(file_report))
    assert f"report {file_report}: skipped, attachment file {sha[:12]}… (" in out.stderr and "is damaged" in out.stderr
    os.rename(archive.parent / "warc" / warc_file, archive.parent / "warc-elsewhere")
    out = run("reprocess", "--db", str(archive), "--report", str(page_report))
    assert f"report {page_report}: skipped, WARC file {warc_file} is missing" in out.stderr
    assert snapshot(archive) == before
    # Told where the evidence went, it reads it.
    (archive.parent / "moved").mkdir()
    os.rename(archive.parent / "warc-elsewhere", archive.parent / "moved" / warc_file)
    forget_tables(archive, f"id = {page_report}")
    out = run(
        "reprocess", "--db", str(archive), "--report", str(page_report), "--warc-dir", str(archive.parent / "moved")
    )
    assert "1 updated" in out.stdout, out.stdout + out.stderr
    assert readings(snapshot(archive, DERIVED)) == readings(before)


def readings(snap: dict) -> dict:
    """Cells and check failures without their row ids (a reading replaced is written under new ids)."""
    return {t: sorted((r[1:] for r in snap[t]), key=repr) for t in DERIVED}


def test_a_full_disk_stops_with_a_clear_error_and_leaves_whole_reports_only(archive):
    """The disk is the kernel's file-size limit on the command (SIGXFSZ ignored), as in test_storage_faults."""
    full = snapshot(archive, DERIVED)
    forget_tables(archive)
    limit = 400 * 1024  # the WAL reaches it after a few reports' cells

    def full_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = subprocess.run(
        [NIANBAO, "reprocess", "--db", str(archive)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        preexec_fn=full_disk,
    )
    assert out.returncode == 1 and out.stderr.strip().splitlines()[-1].startswith("Error: cannot write the archive")
    conn = sqlite3.connect(archive)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    written = dict(conn.execute("select report_id, count(*) from report_stats group by 1").fetchall())
    stated = dict(conn.execute("select id, stats_cells from reports where stats_cells is not null").fetchall())
    conn.close()
    expected = {}
    for row in full["report_stats"]:
        expected[row[1]] = expected.get(row[1], 0) + 1
    assert 0 < len(written) < len(expected)  # it did stop in the middle
    assert all(expected[r] == n == stated[r] for r, n in written.items())  # each report whole, or not at all
    again = run("reprocess", "--db", str(archive))
    assert again.returncode == 0, again.stderr
    assert readings(snapshot(archive, DERIVED)) == readings(full)


def test_it_does_not_race_a_crawl_on_the_same_archive(archive):
    """The crawl's lock (DB.lock, flock) is taken: held by another process, reprocess refuses and writes nothing."""
    forget_tables(archive)
    before = snapshot(archive)
    with open(f"{archive}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        out = run("reprocess", "--db", str(archive))
    assert out.returncode == 1 and "another crawl is running" in out.stderr
    assert snapshot(archive) == before
