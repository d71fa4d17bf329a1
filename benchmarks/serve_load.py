"""Load on the served archive: 20 clients, each pausing 100 ms between requests, for 60 s.

The mix is what journalists do: searches (table ``_search`` and the ranked canned query),
facets, report pages and one-page CSV exports, against a synthetic archive of 20,000
reports (as ``search_speed.py`` builds it) served by ``nianbao serve`` on 127.0.0.1. The
search words are 2-4 Chinese characters taken from the texts (one query in ten has two
words), so most are common and match thousands of reports. Prints requests served, errors
and p50/p95 latency, overall and per kind of request. Target (hostile-web issue): zero
errors, p95 < 1 s.

``--hostile N`` adds N clients that send, like a reader's client with the same 100 ms pause, the
requests that held or grew a worker before the hardening of issue 19 (``HOSTILE``: a Python SQL
function given a million-character query, a 100 KB search, 1,000 rows of 1 MB, a 1 GB blob,
SQLite's quadratic instr/replace/trim, LIKE, a worst-case diff, a sort of huge values, bad
parameters, a 10 KB bad query for the log). It prints how they were answered, whether a server
worker died (its process id is gone: uvicorn starts another) and the most memory one took.
Target: plain p95 < 1 s, no worker killed. ``--hostile-kinds`` picks some of them by name
(an unhardened server should not be given the memory ones on a shared machine).
    python benchmarks/serve_load.py [--reports 20000] [--clients 20] [--seconds 60] [--db PATH]
        [--hostile 8] [--hostile-kinds "contains 1M,instr 2MB"]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import shutil
import signal
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
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the suite's process helpers
from search_speed import build, paragraphs
from support.processes import worker_pids

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


def _sql(query: str) -> str:
    return "/nianbao.json?_shape=array&sql=" + urllib.parse.quote(query)


HOSTILE = {
    "contains 1M": _sql("select nianbao_contains('x', printf('%.*c', 1000000, 'a'))"),
    "search 13KB": "/nianbao/search.json?q=" + urllib.parse.quote("政府 " * 600),
    "search 100KB": "/nianbao/search.json?q=" + urllib.parse.quote("政府 " * 5000),
    "_search 13KB": "/nianbao/reports.json?_search=" + urllib.parse.quote("政府 " * 600),
    "1000x1MB": _sql(
        "with recursive c(x) as (select 1 union all select x + 1 from c limit 1000) "
        "select printf('%.*c', 1000000, 'a') from c"
    ),
    "randomblob": _sql("select randomblob(1e9)"),
    "instr 2MB": _sql("select instr(printf('%.*c', 2000000, 'a'), printf('%.*c', 1000000, 'a') || 'b')"),
    "replace 2MB": _sql(
        "select length(replace(printf('%.*c', 2000000, 'a'), printf('%.*c', 1000000, 'a') || 'b', 'x'))"
    ),
    "trim 2MB": _sql("select length(trim(printf('%.*c', 2000000, 'a'), printf('%.*c', 1000000, 'b') || 'a'))"),
    "like 4MB": _sql("select printf('%.*c', 4000000, 'a') like ('%' || printf('%.*c', 97, 'a') || 'b%')"),
    "40x3MB": _sql("select " + ", ".join(f"printf('%.*c', 3000000, 'a') as c{i}" for i in range(40))),
    "60MB ctrl": _sql(
        "with recursive c(x) as (select 1 union all select x + 1 from c limit 60) "
        "select printf('%.*c', 1000000, char(1)) from c"
    ),
    "sort 1.2GB": _sql(
        "with recursive c(x) as (select 1 union all select x + 1 from c where x < 300) "
        "select count(*) from (select printf('%.*c', 4000000, 'a') || x as s from c order by s)"
    ),
    "diff 3000": _sql(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) select nianbao_diff("
        "(select group_concat(i, char(10)) from n), "
        "(select group_concat(case when i % 2 then i || '!' else i end, char(10)) from n))"
    ),
    "_sort=bad": "/nianbao/reports.json?_sort=bad",
    "_through=bad": "/nianbao/reports.json?_through=bad",
    "bad SQL 10KB": _sql("select * from no_such_table where x = '" + "x" * 10_000 + "'"),
}


def peak_memory_mb(pid: int) -> int | None:
    """The most resident memory the process has had (VmHWM), None if it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    return next((int(line.split()[1]) // 1024 for line in lines if line.startswith("VmHWM:")), None)


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
    parser.add_argument("--hostile", type=int, default=0, help="clients sending HOSTILE requests")
    parser.add_argument("--hostile-kinds", help="comma-separated names of HOSTILE to send (default: all)")
    args = parser.parse_args()
    kinds = args.hostile_kinds.split(",") if args.hostile_kinds else list(HOSTILE)
    unknown = set(kinds) - set(HOSTILE)
    if unknown:
        parser.error(f"unknown hostile kinds {sorted(unknown)}; known: {', '.join(HOSTILE)}")
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
        if not wait_until_serving(base, seconds=60):
            raise SystemExit("nianbao serve did not start")
        ready_by = time.monotonic() + 30
        while len(worker_pids(server.pid)) < args.workers and time.monotonic() < ready_by:
            time.sleep(0.2)
        started_workers = worker_pids(server.pid) if args.workers > 1 else {server.pid}
        hostile: dict[str, list[tuple[int, float]]] = {}
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

        def attacker(seed: int) -> None:
            r = random.Random(seed)
            while time.monotonic() < deadline:
                name = r.choice(kinds)
                started = time.perf_counter()
                try:
                    with opener.open(base + HOSTILE[name], timeout=120) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as e:
                    status = e.code
                except (urllib.error.URLError, OSError):
                    status = 0  # connection refused, reset or timed out
                with lock:
                    hostile.setdefault(name, []).append((status, time.perf_counter() - started))
                time.sleep(0.1)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        threads += [threading.Thread(target=attacker, args=(1000 + i,)) for i in range(args.hostile)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        alive = worker_pids(server.pid) if args.workers > 1 else ({server.pid} if server.poll() is None else set())
        peaks = {pid: peak_memory_mb(pid) for pid in started_workers}
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker stuck in a call SQLite cannot interrupt (unhardened)
            for pid in worker_pids(server.pid):
                os.kill(pid, signal.SIGKILL)
            server.kill()
            server.wait()
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
    if args.hostile:
        died = started_workers - alive
        print(
            f"{args.hostile} hostile clients: {sum(map(len, hostile.values()))} hostile requests; "
            f"workers killed: {len(died)} of {len(started_workers)}; most memory a worker took: "
            f"{max((p for p in peaks.values() if p), default=0)} MB (target: plain p95 < 1000 ms, none killed)"
        )
        for name, results in sorted(hostile.items()):
            statuses = collections.Counter(status for status, _ in results)
            seconds = [t for _, t in results]
            print(
                f"  {name:13} {len(results):4} sent, answers {dict(statuses)}, "
                f"p50 {statistics.median(seconds) * 1000:6.0f} ms, max {max(seconds) * 1000:7.0f} ms"
            )


if __name__ == "__main__":
    main()
