"""Score the page pipeline against hand-labelled pages: ``nianbao eval MANIFEST``.

The manifest is JSON lines, one page each: ``path`` (relative to the manifest's folder),
``url``, ``kind`` (report | list | other) and the true ``title``, ``published``, ``agency``
(a string or a list of acceptable answers), ``adcode``, ``report_year``; null means unknown
and is not scored. Classification is scored on every page; the other fields on reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .page import PageRecord, process

FIELDS = (
    ("classification", None),
    ("title", "title"),
    ("published", "published_date"),
    ("agency", "agency"),
    ("adcode", "adcode"),
    ("report_year", "report_year"),
)


@dataclass
class Score:
    right: int = 0
    total: int = 0
    misses: list[tuple[str, object, object]] = field(default_factory=list)  # (path, expected, got)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


def load(manifest: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                raise ValueError(f"{manifest}:{n}: not a JSON object ({e})") from None
    return rows


def _matches(expected, got) -> bool:
    if isinstance(expected, list):
        return got in expected
    return expected == got


def evaluate(manifest: Path) -> tuple[dict[str, Score], dict[str, PageRecord]]:
    """Run the pipeline on every page of the manifest; returns the scores and the records by path."""
    scores = {name: Score() for name, _ in FIELDS}
    records = {}
    for row in load(manifest):
        path = manifest.parent / row["path"]
        record = process(path.read_bytes(), row.get("url"))
        records[row["path"]] = record
        expected_report = row.get("kind") == "report"
        c = scores["classification"]
        c.total += 1
        if record.is_report == expected_report:
            c.right += 1
        else:
            c.misses.append((row["path"], row.get("kind"), record.reason))
        if not expected_report:
            continue
        for name, attr in FIELDS[1:]:
            expected = row.get(name)
            if expected is None:
                continue
            got = getattr(record, attr)
            s = scores[name]
            s.total += 1
            if _matches(expected, got):
                s.right += 1
            else:
                s.misses.append((row["path"], expected, got))
    return scores, records


def report(scores: dict[str, Score]) -> str:
    lines = []
    for name, s in scores.items():
        lines.append(f"{name:15} {s.right:4d}/{s.total:<4d} {s.accuracy:7.1%}")
        for path, expected, got in s.misses:
            lines.append(f"    miss {path}: expected {expected!r}, got {got!r}")
    return "\n".join(lines)
