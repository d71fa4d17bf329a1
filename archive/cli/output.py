"""What the command line says on stderr: one channel, the ``nianbao.progress`` logger.

The crawl's progress lines (``crawler.spiders``, ``crawler.ledger``, the coordinator) and the
commands' own reports go through it, printed as they are. Scrapy's log stays Scrapy's (``--verbose``).
"""

from __future__ import annotations

import logging
import sys

progress = logging.getLogger("nianbao.progress")


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is logged (a test runner may swap it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def progress_to_stderr() -> None:
    if not any(isinstance(h, _Stderr) for h in progress.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        progress.addHandler(handler)
    progress.setLevel(logging.INFO)
    progress.propagate = False


def say(message: str) -> None:
    """A line for whoever runs the command, on stderr."""
    progress.info(message)
