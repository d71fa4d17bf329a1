"""The served archive shows data, not the machine, and no request can hold or exhaust it.

A Datasette plugin (``asgi_wrapper``, ``prepare_connection`` and ``handle_exception`` hooks,
registered in pyproject.toml).

What is closed. ``/-/databases`` prints the archive's path on disk, ``/-/threads`` the
interpreter's paths and tasks, and the debug pages (``/-/messages``, ``/-/allow-debug``,
``/-/permissions``, ``/-/patterns``, ``/-/actor``, ``/-/plugins``, the token pages) serve nobody
who reads reports. They answer 404. What stays: the data, the canned queries, ``/-/metadata``,
``/-/settings`` (the limits a reader runs into) and ``/-/versions`` (software versions, which the
health check polls). Requests other than GET and HEAD answer 405: nothing here takes a write
(Datasette itself would answer a POST to a table with a 500). SQL a reader runs may not call
``pragma_database_list``, the one table-valued pragma Datasette allows that tells where the file
lies (Datasette's own ``PRAGMA database_list`` statement, for its database page, is not a read
and still works).

What is bounded. Datasette's 3 s SQL time limit is a progress handler: SQLite checks it between
the steps of a query, never inside one function call. So every call must be short and every value
small, whatever SQL a reader writes:

- the connection's limits (``LIMITS``): no string or blob over 4 MB, so no single value (a
  ``printf('%.*c', 1e9, 'a')``, a ``randomblob(1e9)``) can take a gigabyte;
- SQLite's ``instr``, ``replace`` and two-argument ``trim``/``ltrim``/``rtrim`` compare every
  position of one string with the whole of another, which is quadratic (an ``instr`` of a 2 MB
  string and a 1 MB one took 23 s, and cannot be interrupted); on served connections they are
  linear Python functions with the same results;
- the rows of one statement bring at most ``MAX_RESULT_BYTES`` of text and blobs into Python (the
  1,000-row cap limits rows, not bytes: 1,000 rows of 1 MB grew a worker by 4 GB), and SQLite's
  own memory in a serving process is at most ``HEAP_BYTES`` (a sort of huge values);
- an answer sent as one body (JSON, HTML) is at most ``MAX_BODY_BYTES``; a streamed one is the
  archive's own data page by page (CSV, which Datasette stops at its ``max_csv_mb``) or the
  database file (``allow_download``), and passes;
- a search query (``_search``, ``q``) longer than ``search.MAX_QUERY`` and a query string longer
  than ``MAX_QUERY_STRING`` are refused at once (400, 414) with a message.

A few request parameters that Datasette 0.65 reads without checking (``_through``, ``_timelimit``,
JSON in ``_facet`` and ``__in`` filters) are checked here, and Datasette's own 500s for a
reader's mistake (``_sort`` by a column that is not there) become 400s: a 500 says the server
failed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from urllib.parse import parse_qsl

from datasette import hookimpl

from archive.store import search

CLOSED = (
    "/-/databases",
    "/-/threads",
    "/-/plugins",
    "/-/actor",
    "/-/messages",
    "/-/allow-debug",
    "/-/permissions",
    "/-/patterns",
    "/-/auth-token",
    "/-/create-token",
)

MB = 1024 * 1024
MAX_LENGTH = 4 * MB
LIMITS = {
    # Any string or blob, in bytes. Report texts run to 100-300 KB (the demo archive's largest is
    # 12 KB); even 300,000 Chinese characters are ~900 KB of UTF-8, and the canned search joins title
    # and text: 4 MB is four times that. A stored value over the limit could not be read at all (nor
    # could a search scanning it), so this is the bound to raise, never lower, for longer texts.
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_LENGTH,
    # One statement, in bytes: the longest SQL Datasette builds (a table page with a 128-term
    # ``_search`` and facets) is ~15 KB, a canned query ~1 KB; a URL carries at most MAX_QUERY_STRING.
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 100_000,
    # Columns of a result (and of a table, an index, an ORDER BY): the widest table has 26, so a
    # three-table ``select *`` fits; with MAX_LENGTH it bounds one row to 256 MB inside SQLite.
    sqlite3.SQLITE_LIMIT_COLUMN: 64,
    # LIKE/GLOB compare every position of the text with the pattern: 100 characters against a 4 MB
    # value is ~0.7 s, where the default 50,000 was minutes. A typed ``__contains`` filter fits.
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 100,
}
# Text and blob bytes one statement's rows bring into Python. A page of 1,000 reports with their
# texts (~5,000 characters, 15 KB, each) is 15 MB; 64 MB leaves four times that, and is what a
# reader's SQL can make a worker hold, instead of gigabytes. A control character counts 6 bytes,
# what JSON writes for it (\u0001), so no JSON answer of the rows exceeds ~3x this (a character
# outside the BMP: 4 bytes of UTF-8, 12 of JSON) while Datasette renders it.
MAX_RESULT_BYTES = 64 * MB
_ESCAPED = bytes(c for c in range(32) if c not in b"\b\t\n\f\r")  # JSON writes these as \u00XX
# SQLite's memory in a serving process, all connections together (sqlite3_hard_heap_limit64): a
# sort or a row of huge values a reader builds can take what the limits above leave (64 values of
# 4 MB; a sort of 300 of them held 1.2 GB). Readers' queries on real data, sorts of every text of
# 20,000 reports included, use ~40 MB. Past it a query fails (503) instead of the worker growing.
# Set in the serving processes only (``limit_sqlite_heap``): it binds every SQLite in the process.
HEAP_BYTES = 512 * MB
# One answer sent whole: a 1,000-row JSON page of reports with texts is ~30 MB (JSON writes a
# Chinese character as 6 bytes).
MAX_BODY_BYTES = 64 * MB
# Query string, in bytes: SQL and search terms a reader types are a few KB; uvicorn's own HTTP
# parser (h11) already refuses a request head over 16 KB, other servers may not.
MAX_QUERY_STRING = 64 * 1024
SEARCH_PARAMETERS = ("_search", "q")  # Datasette's table search, and the canned search query's


def closed(path: str) -> bool:
    """Whether a request path is one of the closed pages (with or without .json, a trailing slash)."""
    base = path.rstrip("/").split("?", 1)[0]
    base = base[:-5] if base.endswith(".json") else base
    return base in CLOSED


def authorize(action: int, arg1, arg2, db_name, trigger) -> int:
    """SQLite's authorizer for every served connection: no reading ``pragma_database_list``."""
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class ResultTooLarge(sqlite3.OperationalError):
    """A statement's rows brought more than MAX_RESULT_BYTES into Python. An OperationalError, so
    Datasette shows it as the query's error (400) like any other."""


class ResultBudget:
    """Counts the text and blob bytes of one statement's rows on one connection, as they are read.

    Installed as the connection's ``text_factory`` (each text value, before the row is complete, so
    one row of 64 values of 4 MB stops early) and ``row_factory`` (the row's blobs and the running
    total, reset when the rows come from another cursor: another statement). A connection serves
    one thread at a time, so the counts need no lock."""

    def __init__(self, limit: int = MAX_RESULT_BYTES):
        self.limit = limit
        self.cursor = None  # weak reference to the cursor whose rows are counted
        self.spent = 0  # bytes of that cursor's earlier rows
        self.row = 0  # text bytes of the row being read

    def text(self, raw: bytes) -> str:
        self.row += len(raw) + 5 * (len(raw) - len(raw.translate(None, _ESCAPED)))
        if self.row > self.limit:
            self._refuse(self.row)
        return str(raw, "utf-8", "replace")  # what Datasette's own text_factory does

    def make_row(self, cursor, values: tuple) -> sqlite3.Row:
        size = self.row + sum(len(v) for v in values if isinstance(v, bytes))
        self.row = 0
        if self.cursor is None or self.cursor() is not cursor:
            self.cursor, self.spent = weakref.ref(cursor), 0
        self.spent += size
        if self.spent > self.limit:
            self._refuse(self.spent)
        return sqlite3.Row(cursor, values)

    def _refuse(self, spent: int) -> None:
        self.row = 0
        raise ResultTooLarge(
            f"The rows of this query hold more than {self.limit // MB} MB of text ({spent:,} bytes so far): "
            "ask for fewer rows or columns, or shorter values"
        )


_helper = threading.local()


def _sqlite_text(value) -> str:
    """A value as SQLite reads it as text: numbers written as SQLite writes them (1e20 is '1.0e+20')."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, int):
        return str(value)
    if getattr(_helper, "conn", None) is None:
        _helper.conn = sqlite3.connect(":memory:")
    return _helper.conn.execute("select cast(? as text)", (value,)).fetchone()[0]


def linear_instr(haystack, needle):
    """SQLite's instr(X, Y) (1-based position of Y in X, 0 if absent; bytes when both are blobs) in
    linear time: Python's str.find is linear where SQLite compares Y at every position of X."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return _sqlite_text(haystack).find(_sqlite_text(needle)) + 1


def linear_replace(text, old, new):
    """SQLite's replace(X, Y, Z) in linear time, refusing a result over MAX_LENGTH before building it."""
    if text is None or old is None or new is None:
        return None
    old = _sqlite_text(old)
    if not old:
        return text  # SQLite returns X itself, whatever its type
    text, new = _sqlite_text(text), _sqlite_text(new)
    if len(text) + text.count(old) * (len(new) - len(old)) > MAX_LENGTH:
        raise ValueError("string or blob too big")
    return text.replace(old, new)


def _trimmer(left: bool, right: bool):
    def trim(text, chars):
        """SQLite's two-argument trim: drop any of the given characters from the end(s), in linear time
        (SQLite looks each character up in the whole list)."""
        if text is None or chars is None:
            return None
        text, unique = _sqlite_text(text), "".join(set(_sqlite_text(chars)))
        if len(unique) <= 32:  # str.strip looks up its (short) list too
            return text.strip(unique) if left and right else text.lstrip(unique) if left else text.rstrip(unique)
        keep = frozenset(unique)
        start, end = 0, len(text)
        while left and start < end and text[start] in keep:
            start += 1
        while right and end > start and text[end - 1] in keep:
            end -= 1
        return text[start:end]

    return trim


def limit_sqlite_heap(size: int = HEAP_BYTES) -> None:
    """Bound the memory of every SQLite connection of this process (called by ``nianbao serve``). The
    pragma can only lower the limit, never lift it: not for a process that does anything else."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"pragma hard_heap_limit = {int(size)}")
    finally:
        conn.close()


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(authorize)
    for limit, value in LIMITS.items():
        conn.setlimit(limit, value)
    budget = ResultBudget()
    conn.text_factory = budget.text
    conn.row_factory = budget.make_row
    conn.create_function("instr", 2, linear_instr, deterministic=True)
    conn.create_function("replace", 3, linear_replace, deterministic=True)
    conn.create_function("trim", 2, _trimmer(True, True), deterministic=True)
    conn.create_function("ltrim", 2, _trimmer(True, False), deterministic=True)
    conn.create_function("rtrim", 2, _trimmer(False, True), deterministic=True)


def refusal(query_string: bytes) -> tuple[int, str] | None:
    """(status, message) when a request's parameters are refused before Datasette reads them, else None."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)  # as Datasette reads them
    for key, value in pairs:
        if key in SEARCH_PARAMETERS and len(value.strip()) > search.MAX_QUERY:
            return 400, (
                f"Search query too long: {len(value.strip()):,} characters; at most {search.MAX_QUERY}. "
                "Search for a few words or a phrase of the text."
            )
    if len(query_string) > MAX_QUERY_STRING:
        return 414, f"The query string has {len(query_string):,} bytes; at most {MAX_QUERY_STRING:,} are read."
    for key, value in pairs:
        problem = _parameter_problem(key, value)
        if problem:
            return 400, f"Invalid {key}: {problem}"
    return None


def _parameter_problem(key: str, value: str) -> str | None:
    """What is wrong with a parameter Datasette 0.65 would fail on with a 500, or None."""
    if key == "_timelimit" and not value.strip().isdigit():
        return "a whole number of milliseconds is expected"
    try:
        if key == "_through":
            through = json.loads(value)
            if not (
                isinstance(through, dict)
                and isinstance(through.get("table"), str)
                and isinstance(through.get("column"), str)
                and isinstance(through.get("value"), str | int | float)
            ):
                return 'a JSON object {"table": …, "column": …, "value": …} is expected'
        elif key.startswith("_facet") and value.startswith("{"):
            if not isinstance(json.loads(value).get("simple"), str):
                return 'a column name, or a JSON object {"simple": column}, is expected'
        elif key.endswith(("__in", "__notin")) and value.startswith("["):
            values = json.loads(value)
            if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
                return "a JSON list of values, or values separated by commas, is expected"
    except (ValueError, AttributeError, RecursionError):
        return "not valid JSON"
    return None


@hookimpl
def asgi_wrapper(datasette):
    _no_rich_tracebacks()

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            if scope.get("method", "GET") not in ("GET", "HEAD"):
                return await _answer(send, path, 405, "This archive is read-only.")
            if closed(path):
                return await _answer(send, path, 404, "Not available on this archive.")
            refused = refusal(scope.get("query_string", b""))
            if refused:
                return await _answer(send, path, *refused)
            capped = CappedSend(send, path)
            await app(scope, receive, capped)
            await capped.flush()

        return guarded

    return wrap


def _no_rich_tracebacks() -> None:
    """Datasette prints every error it handles, a 404 or a bad ``_sort`` too, as a rich traceback with
    every local variable when rich is installed (import-linter, a test dependency, brings it): 1.4 s
    of CPU in the event loop and 10 KB of log for one cheap request. Without rich it prints what it
    always does: the traceback of a 500."""
    import datasette.handle_exception

    datasette.handle_exception.rich = None


class CappedSend:
    """``send`` that holds a response's start until its first body: a response sent whole and over
    MAX_BODY_BYTES is replaced by a 400; a streamed one (``more_body``) passes as it comes."""

    def __init__(self, send, path: str):
        self.send, self.path, self.held = send, path, None

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.held = message
            return
        if message["type"] == "http.response.body" and self.held is not None:
            size = len(message.get("body", b""))
            if not message.get("more_body") and size > MAX_BODY_BYTES:
                self.held = None
                return await _answer(
                    self.send,
                    self.path,
                    400,
                    f"This answer has {size:,} bytes; at most {MAX_BODY_BYTES:,} are sent at once. Ask for "
                    "fewer rows (_size) or columns (_col), or export CSV (.csv?_stream=on).",
                )
            await self.flush()
        await self.send(message)

    async def flush(self) -> None:
        """Send a start still held (a response that ended without a body)."""
        if self.held is not None:
            start, self.held = self.held, None
            await self.send(start)


async def _answer(send, path: str, status: int, message: str) -> None:
    """A short answer of our own: JSON in Datasette's error shape for a .json path, plain text otherwise."""
    if path.endswith(".json"):
        content_type = b"application/json; charset=utf-8"
        body = json.dumps({"ok": False, "error": message, "status": status, "title": None}).encode()
    else:
        content_type, body = b"text/plain; charset=utf-8", (message + "\n").encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
    await send({"type": "http.response.body", "body": body})


@hookimpl
def handle_exception(datasette, request, exception):
    """Datasette answers 500 for some mistakes in a request: in 0.65 every DatasetteError raised without
    a status is one (``_sort`` or ``_sort_desc`` by a column that is not there, both at once, a
    ``_through`` to no table), and a value or statement over the connection's limits is a DataError
    the table page does not catch. They are the reader's, so 400 with the same message. SQLite out of
    its HEAP_BYTES is a 503: the server is busy, not broken."""
    # Imported here: Datasette imports this plugin while its own modules are still loading.
    from datasette.handle_exception import handle_exception as datasette_handle_exception
    from datasette.views.base import DatasetteError

    status = 400
    if isinstance(exception, DatasetteError) and exception.status == 500:
        message, title = exception.message, exception.title
    elif isinstance(exception, sqlite3.DataError):
        message, title = str(exception), "Invalid SQL"
    elif isinstance(exception, MemoryError):  # HEAP_BYTES reached: this query's, or one alongside it
        status, title = 503, "Busy"
        message = "The server's memory for queries is taken: try again, or ask for fewer or shorter values."
    else:
        return None
    return datasette_handle_exception(datasette, request, DatasetteError(message, title=title, status=status))
