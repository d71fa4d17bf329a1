"""Pages per second of the whole page pipeline against bare trafilatura, on the same pages, in one run.

Target (extraction issue): ``nianbao extract``'s pipeline costs at most 1.5x bare
``trafilatura.extract``. Pages: the real ones in ../shared/realpages (when present) and the
article pages of the sample web.
    python benchmarks/extract_speed.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import trafilatura

from crawler import samples
from pipelines.page import process

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "manifest.jsonl"


def pages() -> list[tuple[bytes, str]]:
    out = []
    if SHARED.exists():
        for line in SHARED.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.append(((SHARED.parent / row["path"]).read_bytes(), row["url"]))
    web = samples.sample_web()
    for row in samples.page_rows(web.world):
        if row["kind"] in ("report", "other"):
            out.append((web.respond("GET", row["url"]).body, row["url"]))
    return out


def rate(fn, items, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for body, url in items:
            fn(body, url)
        best = min(best, time.perf_counter() - started)
    return len(items) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = pages()
    ours = rate(lambda body, url: process(body, url), items, args.rounds)
    bare = rate(lambda body, url: trafilatura.extract(body, url=url, include_tables=True), items, args.rounds)
    print(f"{len(items)} pages, best of {args.rounds} rounds")
    print(f"nianbao extract pipeline: {ours:7.1f} pages/s")
    print(f"bare trafilatura.extract: {bare:7.1f} pages/s")
    print(f"cost ratio (trafilatura rate / ours): {bare / ours:.2f}x (target <= 1.50x)")


if __name__ == "__main__":
    main()
