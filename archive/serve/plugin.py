"""The Datasette plugin of the archive: Chinese ``_search`` on ``reports``, and SQL helpers.

Registered through the ``datasette`` entry point in pyproject.toml. ``filters_from_request``
turns ``?_search=…`` on the reports table (page, ``.json``, ``.csv``, ``_stream=on``, facets
and sorting alike) into the exact filter of ``archive.store.search.where_clause``; Datasette's own
search stays off because it would escape the query as one phrase over an index it cannot read.
``prepare_connection`` adds ``nianbao_match(q)``, ``nianbao_needs_check(q)``,
``nianbao_contains(text, q)``, ``nianbao_snippet(text, q)`` and ``nianbao_diff(old, new)`` for the
canned queries.

SQLite cannot interrupt a Python function, so the 3 s SQL time limit stops a query only between
two calls: each call must be short whatever a reader passes. A query is at most
``search.MAX_QUERY`` characters (longer ones raise, which SQLite reports as an error), a text at
most the connection's ``SQLITE_LIMIT_LENGTH`` (``archive.serve.lockdown``), and the work is a
bounded number of linear scans of the text; the diff compares only the lines between the
texts' common beginning and end, and no more than ``DIFF_MAX_LINES`` of them.
"""

from __future__ import annotations

import difflib
import re

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import BadRequest

from archive.store import search


@hookimpl
def filters_from_request(request, database, table, datasette):
    query = (request.args.get("_search") or "").strip()
    if table != "reports" or not query:
        return None
    try:
        where, params = search.where_clause(query, "reports")
    except search.QueryTooLong as e:  # the lock-down answers first; this is for a path it did not see
        raise BadRequest(f"Search query too long: {e}.") from None
    return FilterArguments([where], params=params, human_descriptions=[f"contain {query!r}"])


NOTHING = '"\u3000"'  # an FTS5 phrase no token equals: what nianbao_match gives a query the index cannot narrow


def _text(value) -> str:
    """A SQL argument as text: a reader's SQL may pass NULL, numbers or blobs."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _match(query):
    """The bigram MATCH expression of a query; NOTHING when no term has two Han characters
    (the canned query then scans, so "2019年" or "ICP" are still found)."""
    return search.match_expression(_text(query)) or NOTHING


def _needs_check(query):
    """1 when a term of the query is not exactly found by the index alone (see archive.store.search)."""
    return int(search.needs_check(_text(query)))


def _contains(text, query):
    """1 when the text holds every term. A query of no terms (quotes only) finds nothing, as ``_search``
    does; a blank one is no search at all (the canned query's page before anything is typed)."""
    query = _text(query)
    wanted = search.terms(query)
    if not wanted:
        return int(not query.strip())
    text = _text(text)
    return int(all(t in text for t in wanted))


def _snippet(text, query):
    return search.snippet(_text(text), _text(query))


# Lines compared by difflib, which is quadratic in them (4,000 lines where every other one changed
# take 0.9 s): a version's edits are compared after the common beginning and end are set aside, so a
# 300,000-character report with a changed paragraph diffs at once, and a rewrite of more lines than
# this is not diffed.
DIFF_MAX_LINES = 3000
_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@$")


def _diff(old, new):
    """A readable line diff of two versions' texts (unified, 1 line of context), bounded in time."""
    a, b = _text(old).splitlines(), _text(new).splitlines()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = max(0, head - 1)  # one line of context before the first change
    a_mid, b_mid = a[start : len(a) - max(0, tail - 1)], b[start : len(b) - max(0, tail - 1)]
    if len(a_mid) + len(b_mid) > DIFF_MAX_LINES:
        return (
            f"(not diffed: lines {head + 1} to {len(a) - tail} before and {head + 1} to {len(b) - tail} after differ, "
            f"more than the {DIFF_MAX_LINES} lines compared here; compare the two versions' texts instead)"
        )
    lines = []
    for line in difflib.unified_diff(a_mid, b_mid, "before", "after", n=1, lineterm=""):
        hunk = _HUNK.match(line)
        if hunk:  # line numbers of the whole texts, not of the part compared
            line = f"@@ -{int(hunk[1]) + start}{hunk[2] or ''} +{int(hunk[3]) + start}{hunk[4] or ''} @@"
        lines.append(line)
    return "\n".join(lines)


@hookimpl
def prepare_connection(conn):
    conn.create_function("nianbao_diff", 2, _diff, deterministic=True)
    conn.create_function("nianbao_match", 1, _match, deterministic=True)
    conn.create_function("nianbao_contains", 2, _contains, deterministic=True)
    conn.create_function("nianbao_needs_check", 1, _needs_check, deterministic=True)
    conn.create_function("nianbao_snippet", 2, _snippet, deterministic=True)
