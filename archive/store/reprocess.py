"""Read the standard tables again from the evidence, with today's parser, without asking any site.

An archive older than a parser improvement (or than the tables themselves) holds reports
whose ``report_stats`` were read by an older ``pipelines.stats``, or not at all. Each report's
current version is kept byte for byte in a WARC record and its files under ``files/``, so its
cells and checks can be derived again. Only derived data are replaced: the cells, the checks
and the ``reports.stats_*`` columns, one report per transaction. A report's text, metadata,
versions and sightings are never touched. A report whose evidence is incomplete (no WARC
record, a WARC or attachment file gone, an empty record) is skipped with its reason, so
nothing archived is replaced by a reading of less evidence than it was made from.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.page import is_document, process, process_document

from .archive import Archive
from .evidence import read_response
from .files import kept_file, read_kept


class MissingEvidence(Exception):
    """The bytes a report was read from are not all there any more."""


@dataclass
class Outcome:
    report_id: int
    status: str  # updated | unchanged | skipped
    reason: str | None = None
    cells_before: int = 0
    cells_after: int = 0
    text_differs: bool = False  # today's pipeline reads another text from the same bytes (left as is)


@dataclass
class Evidence:
    url: str
    content_type: str | None
    body: bytes
    files: list[dict]  # as the spider hands them to the pipeline: {"url", "body"} or {"url", "error"}
    site_adcode: str | None
    list_title: str | None


def evidence(archive: Archive, report_id: int, warc_dir: Path, files_dir: Path) -> Evidence:
    """The page bytes and file bytes of a report's current version, or ``MissingEvidence``."""
    db = archive.db
    row = db.execute(
        "select url, warc_file, warc_offset from report_versions where report_id = ? order by version desc limit 1",
        [report_id],
    ).fetchone()
    if row is None:
        raise MissingEvidence("no version recorded")
    url, warc_file, offset = row
    if not warc_file:
        raise MissingEvidence("archived without WARC evidence")
    path = warc_dir / warc_file
    if not path.exists():
        raise MissingEvidence(f"WARC file {warc_file} is missing")
    _, content_type, body = read_response(path, offset)
    if not body:
        raise MissingEvidence(f"the record at {warc_file}:{offset} holds no body")
    files = []
    for file_url, sha256, status, message in db.execute(
        "select url, sha256, status, message from attachments where report_id = ? and page_url = ?", [report_id, url]
    ).fetchall():
        if status == "fetch_failed":
            files.append({"url": file_url, "error": message})
        elif sha256:
            kept = read_kept(files_dir, sha256)
            if kept is None:
                state = "damaged" if kept_file(files_dir, sha256).exists() else "missing"
                raise MissingEvidence(f"attachment file {sha256[:12]}… ({file_url}) is {state}")
            files.append({"url": file_url, "body": kept})
    sighting = db.execute(
        "select s.list_title, sites.adcode from sightings s left join sites using (site_id) where s.url = ?", [url]
    ).fetchone()
    list_title, adcode = sighting if sighting else (None, None)
    return Evidence(url, content_type, body, files, adcode, list_title)


def reread(ev: Evidence):
    """The page record today's pipeline makes of the evidence (the crawl's own pure functions)."""
    if is_document(ev.body):
        return process_document(ev.body, ev.url, site_adcode=ev.site_adcode)
    return process(
        ev.body, ev.url, ev.content_type, list_title=ev.list_title, site_adcode=ev.site_adcode, files=ev.files
    )


def _stored_stats(archive: Archive, report_id: int) -> tuple:
    db = archive.db
    head = db.execute(
        "select stats_template, stats_source, stats_problems from reports where id = ?", [report_id]
    ).fetchone()
    cells = db.execute(
        "select [table], row, [column], value, unit, label from report_stats where report_id = ? order by 1, 2, 3",
        [report_id],
    ).fetchall()
    return tuple(head), sorted(tuple(c) for c in cells)


def _new_stats(stats: dict | None) -> tuple:
    stats = stats or {}
    problems = json.dumps(stats["problems"], ensure_ascii=False) if stats.get("problems") else None
    cells = [
        (c["table"], c["row"], c["column"], c.get("value"), c.get("unit"), c.get("label"))
        for c in stats.get("cells") or []
    ]
    return (stats.get("template"), stats.get("source"), problems), sorted(cells)


def reprocess(
    archive: Archive, warc_dir: Path, files_dir: Path, report_ids: list[int] | None = None, dry_run: bool = False
) -> Iterator[Outcome]:
    """Re-read the tables of these reports (default: all), replacing what changed; one outcome each."""
    known = {r for (r,) in archive.db.execute("select id from reports").fetchall()}
    ids = report_ids or sorted(known)
    for report_id in ids:
        if report_id not in known:
            yield Outcome(report_id, "skipped", "no such report")
            continue
        before = _stored_stats(archive, report_id)
        try:
            ev = evidence(archive, report_id, warc_dir, files_dir)
            record = reread(ev)
        except MissingEvidence as e:
            yield Outcome(report_id, "skipped", str(e), len(before[1]), len(before[1]))
            continue
        except Exception as e:  # a page today's parser fails on: say so and go on with the others
            yield Outcome(
                report_id, "skipped", f"failed: {type(e).__name__}: {e}"[:300], len(before[1]), len(before[1])
            )
            continue
        after = _new_stats(record.stats)
        stored_hash = archive.db.execute("select content_hash from reports where id = ?", [report_id]).fetchone()[0]
        outcome = Outcome(
            report_id,
            "unchanged" if after == before else "updated",
            None,
            len(before[1]),
            len(after[1]),
            record.content_hash != stored_hash,
        )
        if outcome.status == "updated" and not dry_run:
            archive.replace_stats(report_id, record.stats)
        yield outcome


def summary(outcomes: list[Outcome], dry_run: bool = False) -> str:
    counts = Counter(o.status for o in outcomes)
    before = sum(o.cells_before for o in outcomes)
    after = sum(o.cells_after if o.status == "updated" else o.cells_before for o in outcomes)
    differs = sum(o.text_differs for o in outcomes)
    verb = "would be updated" if dry_run else "updated"
    return (
        f"{len(outcomes)} reports read again: {counts['updated']} {verb}, {counts['unchanged']} unchanged, "
        f"{counts['skipped']} skipped; table cells {before} -> {after}"
        + (f"; {differs} read to another text today (left as is)" if differs else "")
    )
