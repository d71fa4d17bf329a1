"""The default sample web holds what the issue asks for, and its numbers obey the template."""

from __future__ import annotations

import collections

import pytest

from crawler import samples
from crawler.samples import tables
from crawler.samples.styles import STYLES
from crawler.samples.texts import OTHER_KINDS


def _docs(rows, kind):
    return [r for r in rows if r["kind"] == kind]


def test_default_set_has_the_sites_the_issue_asks_for(web1):
    sites = samples.site_rows(web1.world)
    assert len(sites) >= 8
    levels = collections.Counter(s["level"] for s in sites)
    assert levels["prefecture"] >= 1 and levels["department"] >= 1
    assert {s["platform"] for s in sites} == set(STYLES)  # every CMS family the samples imitate has a site
    assert all(s["host"].endswith(".test") and "示例" in s["name"] for s in sites)


def test_every_report_column_is_paginated(web1, rows1):
    for site in web1.world.sites:
        listings = [r for r in rows1 if r["site_id"] == site.site_id and r["kind"] in ("list", "api")]
        assert len(listings) >= 2, f"{site.site_id} has a one-page column"


def test_reports_span_the_years_and_templates(rows1):
    reports = {r["report_id"]: r for r in _docs(rows1, "report")}
    assert len(reports) >= 40
    years = {r["report_year"] for r in reports.values()}
    assert min(years) == 2008 and max(years) == 2024
    templates = collections.Counter(r["template"] for r in reports.values())
    assert templates["free"] >= 10 and templates["2019"] >= 5 and templates["2021"] >= 10
    assert {r["level"] for r in reports.values()} >= {"prefecture", "county", "department", "township"}
    assert any("年度报告" in r["title"] and "工作" not in r["title"] for r in reports.values())


def test_look_alikes_cover_every_kind(rows1):
    others = _docs(rows1, "other")
    assert len(others) >= 20
    assert {r["other_kind"] for r in others} == set(OTHER_KINDS)
    assert not any(r["is_report"] for r in others)


def test_a_report_is_republished_on_its_site_and_on_another(rows1):
    sightings = collections.defaultdict(list)
    for r in _docs(rows1, "report"):
        sightings[r["report_id"]].append(r)
    same_site = [rid for rid, rs in sightings.items() if len({r["site_id"] for r in rs}) < len(rs)]
    other_site = [rid for rid, rs in sightings.items() if len({r["site_id"] for r in rs}) > 1]
    assert same_site and other_site
    for rid in same_site + other_site:
        assert len({(r["title"], r["agency"], r["report_year"]) for r in sightings[rid]}) == 1


def test_source_sometimes_names_an_uploader(rows1):
    reports = _docs(rows1, "report")
    assert any(r["source"] not in (r["agency"], r["agency"] + "办公室") for r in reports)


def test_one_site_is_gbk_with_a_broken_charset(web1):
    gbk = [s for s in samples.site_rows(web1.world) if s["encoding"] == "gbk"]
    assert gbk and all(s["header_charset"] is None and s["meta_charset"] == "utf-8" for s in gbk)


def test_reports_are_published_after_their_year(rows1):
    for r in _docs(rows1, "report"):
        assert int(r["published"][:4]) > r["report_year"], r["url"]


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_tables_satisfy_the_template_identities(rows1, template):
    reports = [r for r in _docs(rows1, "report") if r["template"] == template and not r["planted_errors"]]
    assert reports
    for r in reports:
        cells = {(c["table"], c["row"], c["column"]): c["value"] for c in r["stats"]["cells"]}
        for column in tables.TABLE3_COLUMNS:

            def v(row, cells=cells, column=column):
                return cells[("三", row, column)]

            assert v(tables.RECEIVED) + v(tables.CARRIED_IN) == v(f"{tables.RESULTS}/{tables.TOTAL_ROW}") + v(
                tables.CARRIED_OUT
            )
            leaves = sum(v(row) for row in tables.outcome_rows(template))
            assert leaves == v(f"{tables.RESULTS}/{tables.TOTAL_ROW}")
        for row in tables.table3_rows(template):
            assert cells[("三", row, "总计")] == sum(cells[("三", row, c)] for c in tables.APPLICANTS)
        for group in tables.TABLE4_GROUPS:
            assert cells[("四", group, "总计")] == sum(cells[("四", group, c)] for c in tables.TABLE4_COLUMNS[:-1])
        assert len({c["table"] for c in r["stats"]["cells"]}) == 3


def test_carried_over_requests_agree_across_years(web1):
    docs = web1.world.documents
    checked = 0
    for doc in docs.values():
        previous = docs.get(f"{doc.body.key}-{doc.year - 1}")
        if doc.is_report and doc.cells and previous is not None and previous.cells and doc.planted != "carried_over":
            assert tables.carried_out(previous.cells) == {
                c.column: c.value
                for c in doc.cells
                if c.table == "三" and c.row == tables.CARRIED_IN and c.column in tables.APPLICANTS
            }
            checked += 1
    assert checked >= 3


def test_planted_inconsistencies_are_declared_in_the_manifest(rows1):
    planted = {
        r["report_id"]: {f["check"] for f in r["planted_errors"]} for r in _docs(rows1, "report") if r["planted_errors"]
    }
    assert planted == {"anding-2020": {"received_equals_handled"}, "xnsthj-2024": {"carried_over"}}


def test_generation_is_deterministic_and_seeded():
    a = samples.manifest(samples.build_world(seed=7))
    b = samples.manifest(samples.build_world(seed=7))
    c = samples.manifest(samples.build_world(seed=8))
    assert a == b
    assert a != c


def test_texts_are_filled_and_titles_name_their_year(web1):
    for doc in web1.world.documents.values():
        text = "".join(b.text for b in doc.blocks)
        assert "{" not in text and "}" not in text, doc.doc_id
        if doc.is_report:
            assert str(doc.year) in doc.title, doc.doc_id


def test_day_two_changes_exactly_four_things(rows1, rows2):
    def index(rows):
        return {r["url"]: r for r in rows if r["kind"] in ("report", "other")}

    one, two = index(rows1), index(rows2)
    gone = [r for r in rows2 if r["kind"] == "gone"]
    assert len(gone) == 1 and gone[0]["url"] in one and gone[0]["url"] not in two
    edited = [u for u in one.keys() & two.keys() if two[u]["version"] != one[u]["version"]]
    assert len({two[u]["report_id"] for u in edited}) == 1
    new_ids = {r["report_id"] for r in two.values()} - {r["report_id"] for r in one.values()}
    assert len(new_ids) == 1
    new_urls = two.keys() - one.keys()
    republished = [u for u in new_urls if two[u]["report_id"] not in new_ids]
    assert len(republished) == 1
    rid = two[republished[0]]["report_id"]
    assert two[republished[0]]["site_id"] not in {r["site_id"] for r in one.values() if r["report_id"] == rid}


def test_edited_report_text_differs(web1, web2):
    edited = [d for d in web2.world.documents.values() if d.version == 2]
    assert len(edited) == 1
    before = web1.world.documents[edited[0].doc_id]
    assert before.blocks != edited[0].blocks
    assert before.cells == edited[0].cells


@pytest.mark.parametrize("scale", [(50, 100), (1000, 10)])
def test_scale_mode_builds_the_asked_size(scale):
    world = samples.build_world(scale=scale)
    assert len(world.sites) == scale[0]
    reports = {p.doc.doc_id for ps in world.postings.values() for p in ps if p.doc.is_report}
    assert len(reports) == scale[0] * scale[1]
    assert len({s.host for s in world.sites}) == scale[0]


def test_scale_mode_has_a_day_two():
    one = samples.page_rows(samples.build_world(scale=(3, 5)))
    two = samples.page_rows(samples.build_world(scale=(3, 5), day=2))
    assert sum(r["kind"] == "gone" for r in two) == 1
    assert len({r["report_id"] for r in two if r["kind"] == "report"}) == len(
        {r["report_id"] for r in one if r["kind"] == "report"}
    )  # one deleted, one new


def test_bad_scale_is_a_clear_error():
    with pytest.raises(ValueError, match="SITES:REPORTS"):
        samples.parse_scale("fifty")
    with pytest.raises(ValueError, match="at least"):
        samples.build_world(scale=(0, 3))
    with pytest.raises(ValueError, match="days"):
        samples.build_world(day=3)
