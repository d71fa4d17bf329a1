"""The standard tables read into numbers: real pages against hand-read values, samples against
their manifest, label variants, and the identity checks (a planted error found, no false alarm)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import pytest

from crawler import samples
from pipelines import checks, stats
from pipelines.grid import html_grid
from pipelines.page import process

STATS = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages" / "stats"
REAL = STATS.parent / "pingtan" / "reports"


def _real_ids() -> list[str]:
    if not STATS.is_dir():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true but the hand-read tables are missing: {STATS}")
        return []
    return sorted(p.stem for p in STATS.glob("*.json"))


def _hand_read(report_id: str) -> dict:
    """The hand-read file's cells under our canonical keys (its row paths are joined with ' / ')."""
    truth = json.loads((STATS / f"{report_id}.json").read_text("utf-8"))
    cells = {}
    for key, table in (("table2", "二"), ("table3", "三"), ("table4", "四")):
        for row, columns in truth[key].items():
            path = "/".join(row.split(" / "))
            if table == "四" and path != "行政复议":
                path = f"行政诉讼/{path}"
            for column, value in columns.items():
                cells[(table, path, column)] = value
    return {"template": truth["template"], "cells": cells}


@pytest.mark.parametrize(
    "report_id",
    _real_ids()
    or [
        pytest.param(
            "-",
            marks=pytest.mark.skip(
                reason="../shared/realpages/stats is not beside the checkout: real tables not checked"
            ),
        )
    ],
)
def test_real_report_tables_equal_the_hand_read_numbers(report_id):
    truth = _hand_read(report_id)
    record = process((REAL / report_id / "page.html").read_bytes(), f"https://example.invalid/{report_id}.htm")
    got = {(c["table"], c["row"], c["column"]): c["value"] for c in record.stats["cells"]}
    assert record.stats["template"] == truth["template"]
    assert record.stats["problems"] == []
    assert got == truth["cells"]


def test_real_report_that_does_not_add_up_is_flagged_with_its_numbers():
    if "80595" not in _real_ids():
        pytest.skip("../shared/realpages/stats/80595.json is not beside the checkout")
    record = process((REAL / "80595" / "page.html").read_bytes(), "https://example.invalid/80595.htm")
    failures = checks.within(record.stats["template"], record.stats["cells"])
    # The hand reader's finding: （一）–（六） add up to 27 (自然人 26), the printed （七）总计 is 21 (自然人 20).
    assert {(f["check"], f["column"], f["expected"], f["actual"]) for f in failures} == {
        ("outcomes_add_up", "自然人", 26, 20),
        ("outcomes_add_up", "总计", 27, 21),
    }


def test_sample_report_pages_give_every_manifest_cell(web1, rows1):
    reports = [r for r in rows1 if r["kind"] == "report" and r.get("stats") and r.get("stats_source", "page") == "page"]
    assert len(reports) >= 20
    for row in reports:
        response = web1.respond("GET", row["url"])
        record = process(response.body, row["url"], response.header("Content-Type"))
        assert record.stats["template"] == row["stats"]["template"], row["url"]
        assert record.stats["problems"] == [], row["url"]

        def key(c):
            return (c["table"], c["row"], c["column"])

        assert sorted(record.stats["cells"], key=key) == sorted(row["stats"]["cells"], key=key), row["url"]


def test_consistent_sample_reports_raise_no_alarm(web1, rows1):
    for row in rows1:
        if row["kind"] == "report" and row.get("stats") and not row.get("planted_errors"):
            assert checks.within(row["stats"]["template"], row["stats"]["cells"]) == [], row["url"]


def test_pages_without_tables_have_no_stats():
    record = process(
        "<html><body><div class='TRS_Editor'><p>二〇一六年政府信息公开工作年度报告正文，没有表格。</p>"
        "</div></body></html>".encode(),
        "https://example.invalid/a.htm",
    )
    assert record.stats is None


def _grid_of(html: str):
    return html_grid(lxml.html.fragment_fromstring(html))


def _table3(header_cells: list[str], rows: list[list[str]]) -> str:
    head = "<tr>" + "".join(f"<td>{h}</td>" for h in header_cells) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table>{head}{body}</table>"


def test_label_variants_map_to_the_canonical_rows_and_a_moved_total_column():
    header = ["", "", "", "总 计", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    grid = _grid_of(
        _table3(
            header,
            [
                ["一、本年新收政府信息 公开申请数量", "", "", "5", "4", "1", "0", "0", "0", "0"],
                [
                    "三、本年度办理结果",
                    "(四) 无法提供",
                    "１．本机关不掌握相关政府信息",
                    "3",
                    "3",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                ],
                ["三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请", "1", "1", "0", "0", "0", "0", "0"],
                ["", "（三）不予公开", '3.危及"三安全一稳定"', "2", "2", "0", "0", "0", "0", "0"],
                ["三、本年度办理结果", "（三）不予公开", "小计", "2", "2", "0", "0", "0", "0", "0"],
            ],
        )
    )
    parsed = stats.parse([grid], report_year=2020)
    got = {(c["row"], c["column"]): c["value"] for c in parsed.cells}
    labels = {c["row"]: c["label"] for c in parsed.cells}
    assert got[("一、本年新收政府信息公开申请数量", "总计")] == 5
    assert got[("一、本年新收政府信息公开申请数量", "商业企业")] == 1
    assert got[("三、本年度办理结果/（四）无法提供/1.本机关不掌握相关政府信息", "自然人")] == 3
    assert labels["三、本年度办理结果/（四）无法提供/1.本机关不掌握相关政府信息"] == "１．本机关不掌握相关政府信息"
    assert got[("三、本年度办理结果/（五）不予处理/4.无正当理由大量反复申请", "总计")] == 1
    assert got[("三、本年度办理结果/（三）不予公开/3.危及“三安全一稳定”", "自然人")] == 2
    # A subtotal row is not a cell of the template: skipped, not mapped onto a leaf.
    assert len(got) == 4 * 7 and parsed.problems == ["table 二 not found", "table 四 not found"]
    assert parsed.template == "2019"


def test_unreadable_cells_and_rows_are_reported_never_guessed():
    header = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    grid = _grid_of(
        _table3(
            header,
            [
                ["一、本年新收政府信息公开申请数量", "4", "1", "0", "0", "0", "0", "5"],
                ["二、上年结转政府信息公开申请数量", "", "见说明", "0", "0", "0", "0", "0"],
                ["五、本表以外的一行", "1", "0", "0", "0", "0", "0", "1"],
            ],
        )
    )
    parsed = stats.parse([grid], report_year=2022)
    got = {(c["row"], c["column"]): c["value"] for c in parsed.cells}
    assert ("二、上年结转政府信息公开申请数量", "自然人") not in got  # blank is no zero
    assert ("二、上年结转政府信息公开申请数量", "商业企业") not in got
    assert any("not a number: '见说明'" in p for p in parsed.problems)
    assert any("五、本表以外的一行" in p for p in parsed.problems)
    assert "table 二 not found" in parsed.problems and parsed.template == "2021"


def test_units_printed_with_numbers_win_over_the_header():
    grid = _grid_of(
        "<table><tr><td colspan=3>第二十条第（九）项</td></tr>"
        "<tr><td>信息内容</td><td>采购项目数量</td><td>采购总金额</td></tr>"
        "<tr><td>政府集中采购</td><td>395</td><td>73,802,895.90 元</td></tr></table>"
    )
    parsed = stats.parse([grid], report_year=2020)
    assert {(c["column"], c["value"], c["unit"]) for c in parsed.cells} == {
        ("采购项目数量", 395, None),
        ("采购总金额", 73802895.9, "元"),
    }


def test_checks_find_each_kind_of_inconsistency():
    cells = [c.as_dict() for c in samples.tables.generate_cells(__import__("random").Random(3), "2021", size=2)]
    assert checks.within("2021", cells) == []
    received = next(
        c
        for c in cells
        if c["table"] == "三" and c["row"] == "一、本年新收政府信息公开申请数量" and c["column"] == "自然人"
    )
    received["value"] += 2
    found = {(f["check"], f["column"]) for f in checks.within("2021", cells)}
    assert found == {("received_equals_handled", "自然人"), ("total_column", "总计")}


def test_carried_over_across_years():
    last = [{"table": "三", "row": "四、结转下年度继续办理", "column": "自然人", "value": 3}]
    now = [{"table": "三", "row": "二、上年结转政府信息公开申请数量", "column": "自然人", "value": 2}]
    [failure] = checks.across_years(now, last)
    assert (failure["check"], failure["expected"], failure["actual"]) == ("carried_over", 3, 2)
    now[0]["value"] = 3
    assert checks.across_years(now, last) == []


def _parsed_stats(web, rows, row) -> dict | None:
    """The stats the pipeline reads for a manifest report: from its page, or its attachment."""
    response = web.respond("GET", row["url"])
    files = []
    if row["attachment_url"]:
        file_response = web.respond("GET", row["attachment_url"])
        files = [{"url": row["attachment_url"], "text": "", "body": file_response.body, "error": None}]
    return process(response.body, row["url"], response.header("Content-Type"), files=files).stats


def test_reports_published_as_docx_or_pdf_give_every_manifest_cell(web1, rows1):
    reports = [r for r in rows1 if r["kind"] == "report" and r["delivery"] in ("docx", "pdf") and r["stats"]]
    assert {r["delivery"] for r in reports} == {"docx", "pdf"}
    for row in reports:
        parsed = _parsed_stats(web1, rows1, row)
        assert parsed["source"] == row["attachment_url"] and parsed["problems"] == []

        def key(c):
            return (c["table"], c["row"], c["column"])

        assert sorted(parsed["cells"], key=key) == sorted(row["stats"]["cells"], key=key), row["url"]


def test_every_planted_inconsistency_is_found_and_nothing_else(web1, rows1):
    by_report = {r["report_id"]: r for r in rows1 if r["kind"] == "report" and r["stats"]}
    found = set()
    for row in by_report.values():
        parsed = _parsed_stats(web1, rows1, row)
        failures = checks.within(parsed["template"], parsed["cells"])
        last_year = by_report.get(row["report_id"].rsplit("-", 1)[0] + f"-{row['report_year'] - 1}")
        if last_year:
            failures += checks.across_years(parsed["cells"], _parsed_stats(web1, rows1, last_year)["cells"])
        found |= {(row["report_id"], f["check"], f["column"]) for f in failures}
    planted = {(r["report_id"], f["check"], f["column"]) for r in by_report.values() for f in r["planted_errors"]}
    assert len(planted) == 4 and found == planted


def _served(archive_path, path):
    import asyncio

    from archive.serve import app

    async def go():
        return await app(archive_path).client.get(path)

    return asyncio.run(go())


def test_datasette_serves_the_numbers_for_comparison_and_export(sample_archive, rows1):
    with_tables = {r["title"] for r in rows1 if r["kind"] == "report" and r["stats"] and r["delivery"] == "html"}
    rows = _served(sample_archive, "/nianbao/request_stats.json?_shape=array&_size=max").json()
    assert len(rows) == len(with_tables)
    assert all(0 <= r["share_granted"] <= 1 and r["requests_received"] is not None for r in rows)
    assert sum(r["failed_checks"] for r in rows) == 4
    failed = _served(sample_archive, "/nianbao/failed_checks.json?_shape=array").json()
    assert {(f["check"], f["column"]) for f in failed} == {
        ("received_equals_handled", "自然人"),
        ("received_equals_handled", "总计"),
        ("carried_over", "自然人"),
        ("carried_over", "总计"),
    }
    by_region = _served(sample_archive, "/nianbao/requests_by_region_year.json?_shape=array&province=甘肃省").json()
    assert by_region and {r["province"] for r in by_region} == {"甘肃省"}
    assert sum(r["reports"] for r in by_region) == sum(1 for r in rows if r["province"] == "甘肃省")
    csv_export = _served(sample_archive, "/nianbao/request_stats.csv?_size=max")
    assert csv_export.status_code == 200 and csv_export.text.splitlines()[0].startswith("report_id,province,")
    assert _served(sample_archive, "/nianbao/most_refusals.json?min_requests=1").status_code == 200
    assert _served(sample_archive, "/-/dashboards/requests").status_code == 200
    cells = _served(sample_archive, "/nianbao/report_stats.json?_shape=array&table=三&_size=5").json()
    assert len(cells) == 5 and {"row", "column", "value", "label"} <= set(cells[0])


def test_a_recent_report_without_readable_tables_says_why():
    body = (
        "<html><head><title>某县2020年政府信息公开工作年度报告</title></head><body><div class='TRS_Editor'>"
        + "<p>本年度政府信息公开工作总体平稳，统计表以图片形式附后。</p>" * 8
        + "<p><img src='table3.png'></p></div></body></html>"
    ).encode()
    record = process(body, "https://example.invalid/nb/2020.htm")
    assert record.is_report and record.stats["cells"] == [] and record.stats["template"] is None
    assert "no table of the template was found" in record.stats["problems"][0]
