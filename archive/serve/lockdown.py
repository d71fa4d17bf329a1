"""The served archive shows data, not the machine: Datasette's introspection pages are closed.

A Datasette plugin (``asgi_wrapper`` hook, registered in pyproject.toml). ``/-/databases``
prints the archive's path on disk, ``/-/threads`` the interpreter's paths and tasks, and the
debug pages (``/-/messages``, ``/-/allow-debug``, ``/-/permissions``, ``/-/patterns``,
``/-/actor``, ``/-/plugins``) serve nobody who reads reports. They answer 404. What stays:
the data, the canned queries, ``/-/metadata``, ``/-/settings`` (the limits a reader runs
into) and ``/-/versions`` (software versions, which the health check polls). Requests
other than GET and HEAD answer 405: nothing here takes a write (Datasette itself would
answer a POST to a table with a 500). SQL a reader runs may not call ``pragma_database_list``,
the one table-valued pragma Datasette allows that tells where the file lies (Datasette's own
``PRAGMA database_list`` statement, for its database page, is not a read and still works).
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

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


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(authorize)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method", "GET") not in ("GET", "HEAD"):
                return await _answer(send, 405, b"This archive is read-only.\n")
            if scope.get("type") == "http" and closed(scope.get("path", "")):
                return await _answer(send, 404, b"Not available on this archive.\n")
            await app(scope, receive, send)

        return guarded

    return wrap


async def _answer(send, status: int, body: bytes) -> None:
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8")]}
    )
    await send({"type": "http.response.body", "body": body})
