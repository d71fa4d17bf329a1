"""Chinese search: exactly the reports a substring scan finds, through the API and Datasette's _search."""

from __future__ import annotations

import asyncio
import csv
import io
import random
from urllib.parse import quote

import pytest

from archive.store import Archive, search


def test_bigram_tokens_and_queries():
    b = search.BOUNDARY
    assert search.bigram_text("政府信息 ICP备2019") == f"政府 府信 信息 {b} icp {b} 备 {b} 2019"
    assert search.match_expression("行政复议") == '"行政 政复 复议"'
    assert search.match_expression('喀什 "不予 公开"') == '"喀什" AND "不予" AND "公开"'
    assert search.terms('喀什 "不予 公开"') == ["喀什", "不予 公开"]
    assert search.match_expression("年") is None and search.match_expression("ICP") is None


def test_an_exact_term_does_not_match_across_punctuation():
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    search.ensure(db)
    search.index_report(db, 1, "", "执法人员。员工培训")
    search.index_report(db, 2, "", "人员工资")
    assert search.exact("人员工") and not search.exact("2019年") and not search.exact("人员 工资")
    where, params = search.where_clause("人员工", "r")
    assert "instr" not in where
    ids = [
        r[0] for r in db.execute(f"select rowid from {search.TABLE} where {search.TABLE} match ?", [params["nb_match"]])
    ]
    assert ids == [2]


@pytest.fixture(scope="module")
def archive(sample_archive):
    return Archive(sample_archive)


def _scan(archive, query):
    """The reports holding every term, read one by one (a query of no terms finds nothing)."""
    found, wanted = set(), search.terms(query)
    for row in archive.db.execute("select id, title, text from reports"):
        if wanted and all(t in (row[1] or "") or t in (row[2] or "") for t in wanted):
            found.add(row[0])
    return found


def _queries(archive, n=120):
    rng = random.Random(5)
    texts = [r[0] for r in archive.db.execute("select text from reports")]
    out = [
        "喀什",
        "行政复议",
        "不予公开",
        "信息处理费",
        "2019年",
        "ICP",
        "年",
        "政府 公开",
        '"予以公开"',
        "没有这个词组合",
    ]
    while len(out) < n:
        text = rng.choice(texts)
        size = rng.choice((2, 2, 3, 4, 6))
        start = rng.randrange(0, max(1, len(text) - size))
        out.append(text[start : start + size].strip() or "公开")
    return out


def test_search_finds_exactly_what_a_substring_scan_finds(archive):
    checked = 0
    for query in _queries(archive):
        where, params = search.where_clause(query)
        got = {r[0] for r in archive.db.execute(f"select id from reports where {where}", params)}
        assert got == _scan(archive, query), query
        checked += 1
    assert checked >= 100


def test_ranked_search_has_snippets(archive):
    hits = search.search(archive.db, "行政复议", limit=5)
    assert hits and all("【行政复议】" in h["snippet"] for h in hits)
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)


def _client(archive):
    from archive.serve import app

    return app(archive.path).client


def _get(archive, path):
    async def go():
        return await _client(archive).get(path)

    return asyncio.run(go())


@pytest.mark.parametrize("query", ["喀什", "行政复议", "不予公开", "政府 公开"])
def test_datasette_search_param_on_json_and_streamed_csv(archive, query):
    expected = _scan(archive, query)
    response = _get(archive, f"/nianbao/reports.json?_search={query}&_shape=array&_size=max&_col=id")
    assert response.status_code == 200, response.text
    assert {r["id"] for r in response.json()} == expected
    response = _get(archive, f"/nianbao/reports.csv?_search={query}&_stream=on&_col=id")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {int(r["id"]) for r in rows} == expected
    page = _get(archive, f"/nianbao/reports?_search={query}&_facet=province")
    assert page.status_code == 200


def test_canned_search_query(archive):
    response = _get(archive, "/nianbao/search.json?q=行政复议&_shape=array")
    assert response.status_code == 200, response.text
    rows = response.json()
    assert {r["id"] for r in rows} == _scan(archive, "行政复议")
    assert all("【行政复议】" in r["passage"] for r in rows)


def test_served_archive_is_read_only_and_limited(archive):
    assert _get(archive, "/-/databases.json").status_code == 404  # it shows paths (test_served_lockdown.py)
    settings = _get(archive, "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] <= 3000 and settings["max_returned_rows"] <= 1000
    assert settings["facet_time_limit_ms"] <= 500
    write = _get(archive, "/nianbao.json?sql=delete+from+reports")
    assert write.status_code == 400
    from urllib.parse import quote

    endless = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    slow = _get(archive, "/nianbao.json?sql=" + quote(endless))
    assert slow.status_code == 400 and ("interrupted" in slow.text.lower() or "time limit" in slow.text.lower())


def test_canned_search_scans_when_the_index_cannot_narrow(archive):
    for query in ("2019年", "ICP"):
        rows = _get(archive, f"/nianbao/search.json?q={query}&_shape=array&_size=max").json()
        assert {r["id"] for r in rows} == _scan(archive, query) or len(rows) == 200, query


def test_queries_without_terms_find_nothing(archive):
    for query in ('"', '""', "   ", "'", "\u3000", "\u200b"):
        where, params = search.where_clause(query)
        assert archive.db.execute(f"select count(*) from reports where {where}", params).fetchone()[0] == 0
    assert search.terms("政府\\信息") == ["政府\\信息"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("政府 信息", ["政府", "信息"]),
        ("政府\u3000信息", ["政府", "信息"]),  # the full-width space of a Chinese keyboard
        ("政府\xa0信息", ["政府", "信息"]),  # a non-breaking space from a pasted page
        ("政府\u200b信息", ["政府", "信息"]),  # an invisible zero-width space
        ("\t政府\n 信息  ", ["政府", "信息"]),
        ('喀什 "不予 公开"', ["喀什", "不予 公开"]),
        ("“不予\u3000 公开”", ["不予 公开"]),  # Chinese quotes; a phrase's spaces as the texts hold them: one
        ("＂行政复议＂", ["行政复议"]),
        ("'政府", ["政府"]),  # an apostrophe is never part of a term
        ("政府'信息", ["政府", "信息"]),
        ("xi'an", ["xi", "an"]),
        ('"政府', ["政府"]),  # an unmatched quote opens nothing
        ('"不予 公开" "政府', ["不予 公开", "政府"]),
        ('ab"c d"e', ["abc de"]),  # as a shell reads it
        ("政府 政府 信息", ["政府", "信息"]),  # each term once
        ('"', []),
        ("' ' ‘’", []),
        ("", []),
    ],
)
def test_terms_are_read_as_typed(query, expected):
    assert search.terms(query) == expected


def test_a_query_is_bounded():
    longest = "政" * search.MAX_QUERY
    assert search.terms(f"  {longest}\u3000") == [longest]  # white space around it does not count
    with pytest.raises(search.QueryTooLong):
        search.terms(longest + "政")
    with pytest.raises(search.QueryTooLong):
        search.where_clause("政府 " * search.MAX_QUERY)


AWKWARD = [
    "",
    " ",
    "\u3000",
    '"',
    '""',
    "'",
    "'政府",
    "政府'",
    '"政府',
    '政府"',
    "“政府",
    "政府\u3000信息",
    "政府\xa0信息",
    "政府\u200b信息",
    "\u3000政府\u3000",
    '"政府 信息"',
    "“信息公开”",
    "＂行政复议＂",
    "'行政 复议'",
    "ICP",
    "2019年",
    "年",
    '行政复议 "不予 公开"',
    "政府\t信息",
    "\\",
    "%",
    "_",
    "政府 OR 信息",
    "NEAR(政府 信息)",
    "政府*",
    "-政府",
    "政府:信息",
    "'; drop table reports; --",
]


def test_table_search_and_canned_search_agree_on_awkward_input(archive):
    """``_search`` on the reports table and the canned ``search`` query find the same reports for every
    input, and what a full-width space, an apostrophe or a stray quote separates finds what a space does."""
    found = {}
    for query in AWKWARD:
        q = quote(query, safe="")
        table = _get(archive, f"/nianbao/reports.json?_search={q}&_shape=array&_size=max&_col=id")
        canned = _get(archive, f"/nianbao/search.json?q={q}&_shape=array&_size=max")
        assert table.status_code == canned.status_code == 200, (query, table.text[:200], canned.text[:200])
        ids = {r["id"] for r in table.json()}
        assert ids == {r["id"] for r in canned.json()}, query
        assert ids == (_all(archive) if not query.strip() else _scan(archive, query)), query
        found[query] = ids
    assert found["政府\u3000信息"] == found["政府\xa0信息"] == found["政府\u200b信息"] == _scan(archive, "政府 信息")
    assert found["'政府"] == found["政府'"] == found['"政府'] == found["“政府"] == _scan(archive, "政府") != set()
    assert found['"'] == found['""'] == found["'"] == set()
    assert found[""] == found[" "] == found["\u3000"] == _all(archive)  # a blank search is no search


def _all(archive):
    return {r[0] for r in archive.db.execute("select id from reports")}


def test_charts_and_coverage_pages(archive):
    page = _get(archive, "/-/dashboards/reports")
    assert page.status_code == 200 and "per-year" in page.text and "vega" in page.text
    chart = _get(archive, "/nianbao/reports_per_year.json?_shape=array").json()
    assert sum(r["reports"] for r in chart) == archive.db["reports"].count
    coverage = _get(archive, "/nianbao/coverage.json?_shape=array&_size=max").json()
    found = {(r["agency"], r["report_year"]) for r in coverage if r["status"] == "found"}
    assert found == {
        (r[0], r[1])
        for r in archive.db.execute(
            "select agency, report_year from reports where agency is not null and report_year >= 2008"
        )
    }
    assert any(r["status"] == "missing" for r in coverage)
