"""Reading pages and files in worker processes, each task under a time and a memory limit.

Scrapy's item pipelines run in the reactor's thread: a file read there stops every download
until it is read, and a hostile one (a DOCX that unpacks to gigabytes, a PDF page of 90,000
ruled cells) stopped the crawl for minutes or took the machine's memory. Here each file of a
page, then the page with its files already read, is a task of a ``pebble.ProcessPool``: the
reactor only waits on a Deferred, a task past ``NIANBAO_READ_TIMEOUT`` seconds has its worker
killed (pebble replaces it), and a worker's address space is capped at ``NIANBAO_READ_MEMORY``
MB (``RLIMIT_AS``, set in the worker before it reads anything), so an allocation past it is a
``MemoryError`` in that worker, not the machine's swap. A file refused so becomes an attachment
row ``too_complex`` with the reason, and the page is read and stored without it; a page refused
so is recorded as a page that could not be read (a ``pipeline`` crawl error), as any other.

pebble (LGPL-3.0, used as a library, unmodified) because it is the maintained pool whose
per-task timeout kills the worker that overran: ``concurrent.futures`` and ``multiprocessing``
pools can only abandon a task, never stop it. Workers come from a fork server, not from the
crawl's process: forking a process with threads running (Twisted's, pebble's own) is unsafe,
and the fork server starts them from a small process that has the readers imported already.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
from concurrent.futures import Future
from dataclasses import replace

from pebble import ProcessExpired, ProcessPool
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler.items import ArticlePage, PageRead, page_read_of
from pipelines import attachments

logger = logging.getLogger(__name__)

# Imported once in the fork server, so that a new worker (one per MAX_TASKS tasks, and after each
# kill) starts reading at once rather than importing pdfplumber, python-docx and openpyxl again.
PRELOAD = ["crawler.pipelines", "pipelines.page", "pdfplumber", "docx", "openpyxl", "xlrd", "olefile"]
MAX_TASKS = 200  # tasks a worker reads before it is replaced: memory a reader leaks or fragments is returned


def limit_memory(megabytes: int | None) -> None:
    """The worker's initializer: cap its address space (a reader asking for more gets MemoryError),
    and leave Ctrl-C to the crawl, which stops its readers itself (a worker interrupted mid-file
    would record the file as failed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if megabytes:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_file(body: bytes) -> attachments.Converted:
    """A task: one file, read."""
    return attachments.convert(body)


def read_page_task(item: ArticlePage, site_adcode: str | None) -> PageRead:
    """A task: one page, its files read already (each file's ``read``); the bytes stay with the crawl."""
    from crawler.pipelines import read_page

    return read_page(item, site_adcode)


class ReadingPool:
    """Worker processes that read pages and files for the crawl, each task killed past ``timeout`` s."""

    def __init__(self, workers: int, timeout: float, memory_mb: int | None):
        self.timeout, self.memory_mb = timeout, memory_mb
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self.pool = ProcessPool(
            max_workers=workers,
            max_tasks=MAX_TASKS,
            initializer=limit_memory,
            initargs=(memory_mb,),
            context=context,
        )
        # pebble starts its workers in the thread of the first task scheduled (the fork server
        # imports the readers first: about 2 s); started here, off the reactor's thread.
        threading.Thread(target=self.pool.schedule, args=(os.getpid,), daemon=True).start()

    async def read(self, item: ArticlePage, site_adcode: str | None) -> PageRead:
        """The page read as ``crawler.pipelines.read_page`` reads it, its files first, one task each."""
        bodies = [f["body"] for f in item.files if f.get("body") is not None]
        to_read = [f for f in item.files if f.get("body") is not None and not f.get("error")]
        tasks = [self.pool.schedule(read_file, (f["body"],), timeout=self.timeout) for f in to_read]
        read = {}
        for f, task in zip(to_read, tasks):
            read[id(f)] = self._file_result(await _done(task), f)
        # The bytes stay here: the page's task needs only what was read of them.
        files = [{**f, "body": None, **({"read": read[id(f)]} if id(f) in read else {})} for f in item.files]
        task = self.pool.schedule(read_page_task, (replace(item, files=files), site_adcode), timeout=self.timeout)
        done = self._page_result(await _done(task), item)
        if done.record is not None:
            done.files = bodies
        return done

    def _why(self, task: Future) -> tuple[str, str] | None:
        """(status, why) of a task that gave no result: ``too_complex`` past the time limit, past the
        memory limit, or when its worker died (the kernel's OOM killer, a crash in a C reader);
        ``failed`` for anything else (the task could not be sent, a bug): recorded, never lost."""
        error = task.exception()
        if error is None:
            return None
        if isinstance(error, TimeoutError):
            return "too_complex", f"reading took longer than {self.timeout:g} s (NIANBAO_READ_TIMEOUT): stopped"
        if isinstance(error, MemoryError):
            limit = f"{self.memory_mb} MB (NIANBAO_READ_MEMORY)" if self.memory_mb else "the memory there was"
            return "too_complex", f"reading needed more than {limit}: stopped"
        if isinstance(error, ProcessExpired):
            return "too_complex", f"the reader's process died (exit code {error.exitcode}): out of memory or crashed"
        return "failed", f"{type(error).__name__}: {error}"

    def _file_result(self, task: Future, file: dict) -> attachments.Converted:
        why = self._why(task)
        if why is None:
            return task.result()
        logger.warning("%s: %s", file["url"], why[1])
        return attachments.unread(file["body"], *why)

    def _page_result(self, task: Future, item: ArticlePage) -> PageRead:
        why = self._why(task)
        if why is None:
            return task.result()
        logger.warning("%s: %s", item.url, why[1])
        return page_read_of(item, failure=f"ReadPipeline: {why[0]}: {why[1]}"[:500])

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)


async def _done(task: Future) -> Future:
    """Wait, without blocking the reactor, until a pool task is done; the task itself is returned.

    pebble calls back from its own thread: the reactor is handed the result through
    ``callFromThread``, the one thread-safe way into it."""
    from twisted.internet import reactor

    waiting: Deferred = Deferred()
    task.add_done_callback(lambda t: reactor.callFromThread(waiting.callback, t))
    return await maybe_deferred_to_future(waiting)


def default_workers() -> int:
    """One worker a CPU the process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
