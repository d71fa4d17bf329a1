"""The Datasette plugin of the archive: Chinese ``_search`` on ``reports``, and SQL helpers.

Registered through the ``datasette`` entry point in pyproject.toml. ``filters_from_request``
turns ``?_search=…`` on the reports table (page, ``.json``, ``.csv``, ``_stream=on``, facets
and sorting alike) into the exact filter of ``archive.store.search.where_clause``; Datasette's own
search stays off because it would escape the query as one phrase over an index it cannot read.
``prepare_connection`` adds ``nianbao_match(q)``, ``nianbao_needs_check(q)``,
``nianbao_contains(text, q)`` and ``nianbao_snippet(text, q)`` for the canned queries.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments

from archive.store import search


@hookimpl
def filters_from_request(request, database, table, datasette):
    query = (request.args.get("_search") or "").strip()
    if table != "reports" or not query:
        return None
    where, params = search.where_clause(query, "reports")
    return FilterArguments([where], params=params, human_descriptions=[f"contain {query!r}"])


NOTHING = '"\u3000"'  # an FTS5 phrase no token equals: what nianbao_match gives a query the index cannot narrow


def _match(query):
    """The bigram MATCH expression of a query; NOTHING when no term has two Han characters
    (the canned query then scans, so "2019年" or "ICP" are still found)."""
    return search.match_expression(query or "") or NOTHING


def _needs_check(query):
    """1 when a term of the query is not exactly found by the index alone (see archive.store.search)."""
    return int(search.needs_check(query or ""))


def _contains(text, query):
    return int(all(t in (text or "") for t in search.terms(query or "")))


def _diff(old, new):
    """A readable line diff of two versions' texts (unified, 1 line of context)."""
    import difflib

    lines = difflib.unified_diff(
        (old or "").splitlines(), (new or "").splitlines(), "before", "after", n=1, lineterm=""
    )
    return "\n".join(lines)


@hookimpl
def prepare_connection(conn):
    conn.create_function("nianbao_diff", 2, _diff, deterministic=True)
    conn.create_function("nianbao_match", 1, _match, deterministic=True)
    conn.create_function("nianbao_contains", 2, _contains, deterministic=True)
    conn.create_function("nianbao_needs_check", 1, _needs_check, deterministic=True)
    conn.create_function("nianbao_snippet", 2, lambda text, q: search.snippet(text, q or ""), deterministic=True)
