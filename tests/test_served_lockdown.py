"""The served archive lets nobody in: read-only, no writing plugin, limits on SQL, rows and facets,
and no filesystem path or secret on any page (Datasette's own test client, no server process)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
import urllib.parse
from html import escape
from pathlib import Path

import pytest

from archive import serve  # first: Datasette's plugin loader imports it while datasette.plugins loads

# Plugins that only read: ours, and what datasette-dashboards brings. A new plugin must be read first.
READ_ONLY_PLUGINS = {
    "nianbao",
    "nianbao_lockdown",
    "datasette-dashboards",
    "datasette-leaflet",
    "datasette-render-markdown",
}
SECRET = "nianbao-test-secret-4f1c"


@pytest.fixture(scope="module")
def ds(sample_archive):
    os.environ["NIANBAO_TEST_SECRET"] = SECRET  # an environment secret: must appear nowhere
    yield serve.app(sample_archive)
    os.environ.pop("NIANBAO_TEST_SECRET", None)


def get(ds, path: str, method: str = "GET"):
    async def go():
        if method in ("GET", "HEAD", "OPTIONS"):
            return await ds.client.request(method, path)
        return await ds.client.request(method, path, data={"sql": "x"})

    return asyncio.run(go())


def public_paths() -> list[str]:
    meta = serve.metadata()["databases"]["nianbao"]
    q = urllib.parse.quote
    paths = [
        "/",
        "/nianbao",
        "/nianbao.json",
        "/-/metadata.json",
        "/-/settings.json",
        "/-/versions.json",
        "/nianbao/reports/1",
        "/nianbao/reports/1.json",
        "/nianbao/reports/999999",
        "/no-such-page",
        "/nianbao/no_such_table",
        f"/nianbao?sql={q('select * from no_such_table')}",
        f"/nianbao.json?sql={q('select load_extension(1)')}",
        "/-/dashboards/reports",
        f"/nianbao.json?sql={q('select * from pragma_database_list')}",
        f"/nianbao?sql={q('select file from pragma_database_list()')}",
    ]
    for table in meta["tables"]:
        paths += [f"/nianbao/{table}", f"/nianbao/{table}.json?_size=5"]
    for query in meta.get("queries", {}):
        paths.append(f"/nianbao/{query}.json?" + "&".join(f"{p}=x" for p in ("q", "adcode", "report_id", "version")))
    return paths


def test_no_page_shows_a_path_or_a_secret(ds, sample_archive):
    leaks = [
        str(Path(sample_archive).resolve().parent),
        sys.prefix,
        sys.base_prefix,
        str(Path.home()),
        os.getcwd(),
        "site-packages",
        SECRET,
    ]
    for path in public_paths():
        response = get(ds, path)
        assert response.status_code < 500, (path, response.status_code)
        body = response.text
        found = [leak for leak in leaks if leak in body]
        assert not found, (path, found)


@pytest.mark.parametrize(
    "path",
    [
        "/-/databases.json",
        "/-/databases",
        "/-/threads.json",
        "/-/plugins.json",
        "/-/actor.json",
        "/-/messages",
        "/-/allow-debug",
        "/-/permissions",
        "/-/patterns",
        "/-/databases/",
        "/-/auth-token",
        "/-/auth-token?token=x",
        "/-/create-token",
        "/-/create-token.json",
    ],
)
def test_introspection_pages_are_closed(ds, path):
    assert get(ds, path).status_code == 404


def test_the_archive_is_immutable_and_no_plugin_writes(ds):
    from datasette.plugins import get_plugins

    assert not ds.databases["nianbao"].is_mutable
    assert set(ds.databases) == {"nianbao", "_internal"}  # Datasette's in-memory catalogue, shown to nobody
    assert get(ds, "/_internal").status_code in (403, 404) and get(ds, "/_internal.json").status_code in (403, 404)
    assert [d["name"] for d in get(ds, "/.json").json().values()] == ["nianbao"]
    assert {p["name"] for p in get_plugins() if not p["name"].startswith("datasette.")} <= READ_ONLY_PLUGINS, (
        get_plugins()
    )
    for sql in (
        "insert into sites(site_id) values ('x')",
        "delete from reports",
        "drop table reports",
        "attach database '/tmp/x.db' as x",
        "pragma journal_mode=delete",
        "vacuum into '/tmp/copy.db'",
    ):
        response = get(ds, "/nianbao.json?sql=" + urllib.parse.quote(sql))
        assert response.status_code == 400, sql
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/nianbao/reports", "/nianbao/reports/1", "/nianbao/search", "/nianbao", "/-/create-token"):
            assert get(ds, path, method=method).status_code == 405, (method, path)
    assert get(ds, "/nianbao/reports.json", method="HEAD").status_code == 200


def test_sql_row_and_facet_limits(ds):
    settings = get(ds, "/-/settings.json").json()
    assert (
        settings["sql_time_limit_ms"],
        settings["max_returned_rows"],
        settings["facet_time_limit_ms"],
        settings["suggest_facets"],
    ) == (3000, 1000, 500, False)
    rows = "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1500) select i from n"
    data = get(ds, "/nianbao.json?_shape=objects&sql=" + urllib.parse.quote(rows)).json()
    assert len(data["rows"]) == 1000 and data["truncated"] is True
    slow = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    response = get(ds, "/nianbao.json?_timelimit=50&sql=" + urllib.parse.quote(slow))
    assert response.status_code == 400 and "too long" in json.dumps(response.json()).lower()


@pytest.mark.parametrize(
    "call",
    [
        "nianbao_contains(printf('%.*c', 200000 + i, 'a'), 'b')",
        "nianbao_snippet(printf('%.*c', 200000 + i, 'a'), 'b') = ''",
        "nianbao_diff(printf('%.*c', 100000 + i, 'a'), printf('%.*c', 100000, 'b')) = ''",
        "instr(printf('%.*c', 200000 + i, 'a'), 'ab')",
    ],
)
def test_the_time_limit_stops_queries_that_spend_it_in_python_functions(ds, call):
    """SQLite checks the limit between steps, so a query of many short Python calls (a new text each row,
    which no planner can fold) is stopped like pure SQL; each call is bounded by the lock-down (see
    tests/test_served_attacks.py)."""
    sql = f"with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n where {call}"
    started = time.monotonic()
    response = get(ds, "/nianbao.json?_timelimit=300&sql=" + urllib.parse.quote(sql))
    assert response.status_code == 400 and "too long" in json.dumps(response.json()).lower(), response.text[:300]
    assert time.monotonic() - started < 3


def test_no_archived_text_is_rendered_as_html(ds):
    """datasette-render-markdown (which datasette-dashboards brings) renders any column named *_markdown
    as HTML: a reader's query could turn a page's text into links and images. Its patterns are
    emptied in datasette-metadata.json, so every cell is escaped text."""
    value = "**bold** ![x](http://example.org/t.png) <img src=x onerror=alert(1)>"
    sql = f"select '{value}' as text_markdown"
    html = get(ds, "/nianbao?sql=" + urllib.parse.quote(sql)).text
    # The page also echoes the SQL (escaped), so the cell itself is what is checked: the text, escaped.
    cells = re.findall(r'<td class="col-text_markdown">(.*?)</td>', html, re.S)
    assert cells == [escape(value, quote=False)], cells
    assert "<strong>" not in html and "<img" not in html
