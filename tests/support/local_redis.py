"""A throw-away ``redis-server`` on a free loopback port (tests, benchmarks, trying ``--redis`` on one machine).

No persistence (``--save ""``, no AOF), its working directory a temporary folder, stopped
on exit. ``redis-server`` is Debian's package of that name (``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time


class RedisServerMissing(RuntimeError):
    """No ``redis-server`` on PATH."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalRedis:
    """``with LocalRedis() as r: r.url`` — a redis-server process for the block's lifetime."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise RedisServerMissing("redis-server is not installed (Debian: apt-get install redis-server)")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = None
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> LocalRedis:
        import redis

        self._dir = tempfile.TemporaryDirectory(prefix="nianbao-redis-")
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._dir.name,
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self._dir:
            self._dir.cleanup()
