"""Processes of a server under test, read from /proc (Linux): who its workers are."""

from __future__ import annotations

from pathlib import Path


def worker_pids(pid: int) -> set[int]:
    """uvicorn's worker processes: the children of ``pid`` that multiprocessing spawned (not its resource
    tracker)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])  # after "pid (name)": state, ppid, …
            if ppid == pid and b"spawn_main" in (stat.parent / "cmdline").read_bytes():
                children.add(int(stat.parent.name))
        except OSError:
            continue  # a process that ended meanwhile
    return children
