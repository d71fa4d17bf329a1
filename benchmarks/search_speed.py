"""Search against a LIKE scan on a synthetic archive of 20,000 reports x 5,000 characters, in one run.

Targets (search issue): identical result sets; p95 <= 50 ms for the top 20; at least 20x
faster than the scan; index build under 2 minutes. Texts are paragraphs of the sample
reports, shuffled into documents, so the character statistics are those of real prose.
    python benchmarks/search_speed.py [--reports 20000] [--chars 5000] [--queries 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlite_utils

from archive.store import schema, search
from crawler import samples


def paragraphs() -> list[str]:
    world = samples.build_world(scale=(30, 20))
    out = []
    for doc in world.documents.values():
        out += [b.text for b in doc.blocks if b.kind == "p" and len(b.text) > 30]
    return out


def build(path: Path, n: int, chars: int, pool: list[str]) -> float:
    rng = random.Random(1)
    db = sqlite_utils.Database(path)
    schema.ensure(db)
    rows = []
    for i in range(1, n + 1):
        parts, size = [], 0
        while size < chars:
            p = rng.choice(pool)
            parts.append(p)
            size += len(p)
        rows.append(
            {
                "id": i,
                "title": f"示例县{i}年政府信息公开工作年度报告",
                "text": "\n".join(parts)[:chars],
                "content_hash": f"h{i}",
                "report_year": 2008 + i % 17,
            }
        )
    db["reports"].insert_all(rows, batch_size=2000)
    started = time.perf_counter()
    search.rebuild(db)
    return time.perf_counter() - started


def timed(db, sql, params, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = {r[0] for r in db.execute(sql, params)}
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=15, help="queries per length")
    args = parser.parse_args()
    pool = paragraphs()
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build_s = build(path, args.reports, args.chars, pool)
        db = sqlite_utils.Database(path)
        print(f"{args.reports} reports x {args.chars} chars; bigram index built in {build_s:.1f}s (target < 120s)")
        for length in (2, 3, 4, 6):
            ours, scan, ours_all = [], [], []
            mismatches = 0
            for _ in range(args.queries):
                text = rng.choice(pool)
                start = rng.randrange(0, max(1, len(text) - length))
                query = text[start : start + length]
                if len(query.strip()) < length:
                    continue
                where, params = search.where_clause(query)
                top_s, _ = timed(db, f"select id from reports where {where} limit 20", params, repeat=3)
                all_s, found = timed(db, f"select id from reports where {where}", params)
                like_s, expected = timed(
                    db, "select id from reports where title like :q or text like :q", {"q": f"%{query}%"}
                )
                mismatches += found != expected
                ours.append(top_s * 1000)
                ours_all.append(all_s * 1000)
                scan.append(like_s * 1000)
            p95 = sorted(ours)[max(0, int(len(ours) * 0.95) - 1)]
            scan_p50 = statistics.median(scan)
            print(
                f"{length}-char queries (n={len(ours)}): search top-20 median {statistics.median(ours):.2f} ms, "
                f"p95 {p95:.2f} ms | full result set median {statistics.median(ours_all):.1f} ms | "
                f"LIKE scan median {scan_p50:.0f} ms, p95 {sorted(scan)[max(0, int(len(scan) * 0.95) - 1)]:.0f} ms | "
                f"speed-up (scan/search top-20, medians) {scan_p50 / max(statistics.median(ours), 1e-6):.0f}x | "
                f"result sets differing: {mismatches}"
            )


if __name__ == "__main__":
    main()
