"""Load on the served archive: 20 clients, each pausing 100 ms between requests, for 60 s.

The mix is what journalists do: searches (table ``_search`` and the ranked canned query),
facets, report pages and one-page CSV exports, against a synthetic archive of 20,000
reports (as ``search_speed.py`` builds it) served by ``nianbao serve`` on 127.0.0.1. The
search words are 2-4 Chinese characters taken from the texts (one query in ten has two
words), so most are common and match thousands of reports. Prints requests served, errors
and p50/p95 latency, overall and per kind of request. Target (hostile-web issue): zero
errors, p95 < 1 s.
    python benchmarks/serve_load.py [--reports 20000] [--clients 20] [--seconds 60] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_speed import build, paragraphs

from archive.serve import wait_until_serving

HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests_mix(rng: random.Random, terms: list[str], n_reports: int) -> tuple[str, str]:
    """(kind, path) of one request, in the proportions of a journalist's session."""
    kind = rng.random()
    term = urllib.parse.quote(rng.choice(terms))
    if kind < 0.35:
        return "search", f"/nianbao/reports.json?_search={term}&_col=title&_col=report_year"
    if kind < 0.5:
        return "ranked", f"/nianbao/search.json?q={term}&_shape=array"
    if kind < 0.7:
        return "facet", "/nianbao/reports?_facet=report_year&_col=title"
    if kind < 0.9:
        return "report", f"/nianbao/reports/{rng.randint(1, n_reports)}"
    return "csv", f"/nianbao/reports.csv?_search={term}&_col=title&_size=50"


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * share) - 1)] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="nianbao serve --workers")
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this archive instead of a temporary one")
    args = parser.parse_args()
    pool = paragraphs()
    rng = random.Random(3)
    terms = []
    while len(terms) < 200:  # words people type: 2-4 Chinese characters from the texts, a few two-word queries
        text = rng.choice(pool)
        size = rng.choice((2, 3, 4))
        start = rng.randrange(0, max(1, len(text) - size))
        word = text[start : start + size]
        if HAN_WORD.fullmatch(word):
            terms.append(word if rng.random() < 0.9 or not terms else f"{word} {rng.choice(terms)}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        if not db.exists():
            build(db, args.reports, 5000, pool)
        port = free_port()
        nianbao = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
        server = subprocess.Popen(
            [nianbao, "serve", "--db", str(db), "--port", str(port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        if not wait_until_serving(base):
            raise SystemExit("nianbao serve did not start")
        latencies: list[float] = []
        by_kind: dict[str, list[float]] = {}
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client(seed: int) -> None:
            r = random.Random(seed)
            while time.monotonic() < deadline:
                kind, path = requests_mix(r, terms, args.reports)
                started = time.perf_counter()
                try:
                    with opener.open(base + path, timeout=30) as response:
                        response.read()
                    ok = True
                except (urllib.error.URLError, OSError) as e:
                    ok = False
                    with lock:
                        errors.append(f"{path}: {e}")
                elapsed = time.perf_counter() - started
                if ok:
                    with lock:
                        latencies.append(elapsed)
                        by_kind.setdefault(kind, []).append(elapsed)
                time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        server.terminate()
        server.wait(timeout=10)
    p95 = percentile(latencies, 0.95)
    print(
        f"{args.reports} reports, {args.workers} server processes, {args.clients} clients x {args.seconds:.0f}s "
        f"(100 ms pause): "
        f"{len(latencies)} requests served, {len(errors)} errors, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (target: 0 errors, p95 < 1000 ms)"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  {kind:7} {len(values):5} served, p50 {statistics.median(values) * 1000:6.0f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:6.0f} ms"
        )
    print(
        f"  (load average of the machine after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        "the latencies are only as good as the cores the server got)"
    )
    for e in errors[:5]:
        print("  error:", e)


if __name__ == "__main__":
    main()
