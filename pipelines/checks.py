"""The identities the template's numbers must satisfy, checked per report and across years.

A failure is a finding, not an error: journalists want to know which reports do not add up,
so every failed check carries the numbers involved. Checks only run on cells that were read;
a missing cell makes no failure (it is a parsing problem, reported by ``pipelines.stats``).
"""

from __future__ import annotations

from . import template as T

RESULTS_TOTAL = f"{T.RESULTS}/{T.TOTAL_ROW}"


def _values(cells: list[dict]) -> dict[tuple[str, str, str], float]:
    return {(c["table"], c["row"], c["column"]): c["value"] for c in cells}


def _failure(
    check: str, table: str, row: str | None, column: str, expected, actual, numbers: dict, message: str
) -> dict:
    return {
        "check": check,
        "table": table,
        "row": row,
        "column": column,
        "expected": expected,
        "actual": actual,
        "numbers": numbers,
        "message": message,
    }


def within(template: str, cells: list[dict]) -> list[dict]:
    """Failures of one report's own identities (an empty list when everything adds up)."""
    v = _values(cells)
    failures = []
    for column in T.TABLE3_COLUMNS:
        parts = {
            "一": v.get(("三", T.RECEIVED, column)),
            "二": v.get(("三", T.CARRIED_IN, column)),
            "三（七）": v.get(("三", RESULTS_TOTAL, column)),
            "四": v.get(("三", T.CARRIED_OUT, column)),
        }
        if None not in parts.values() and parts["一"] + parts["二"] != parts["三（七）"] + parts["四"]:
            failures.append(
                _failure(
                    "received_equals_handled",
                    "三",
                    None,
                    column,
                    parts["一"] + parts["二"],
                    parts["三（七）"] + parts["四"],
                    parts,
                    f"{column}: 新收 {parts['一']} + 上年结转 {parts['二']} ≠ 办理结果总计 {parts['三（七）']} "
                    f"+ 结转下年度 {parts['四']}",
                )
            )
        leaves = [v.get(("三", row, column)) for row in T.outcome_rows(template)]
        total = parts["三（七）"]
        if total is not None and None not in leaves and sum(leaves) != total:
            failures.append(
                _failure(
                    "outcomes_add_up",
                    "三",
                    RESULTS_TOTAL,
                    column,
                    sum(leaves),
                    total,
                    {"（一）至（六）": sum(leaves), "（七）总计": total},
                    f"{column}: 办理结果（一）至（六）相加为 {sum(leaves)}，（七）总计印为 {total}",
                )
            )
    for row in T.table3_rows(template):
        total = v.get(("三", row, "总计"))
        parts = {c: v.get(("三", row, c)) for c in T.APPLICANTS}
        if total is not None and None not in parts.values() and sum(parts.values()) != total:
            failures.append(
                _failure(
                    "total_column",
                    "三",
                    row,
                    "总计",
                    sum(parts.values()),
                    total,
                    parts,
                    f"{row}: 各类申请人相加为 {sum(parts.values())}，总计印为 {total}",
                )
            )
    for group in T.TABLE4_GROUPS:
        total = v.get(("四", group, "总计"))
        parts = {c: v.get(("四", group, c)) for c in T.TABLE4_COLUMNS[:-1]}
        if total is not None and None not in parts.values() and sum(parts.values()) != total:
            failures.append(
                _failure(
                    "table4_total",
                    "四",
                    group,
                    "总计",
                    sum(parts.values()),
                    total,
                    parts,
                    f"{group}: 维持、纠正、其他、尚未审结相加为 {sum(parts.values())}，总计印为 {total}",
                )
            )
    return failures


def across_years(this_year: list[dict], last_year: list[dict]) -> list[dict]:
    """This year's 二、上年结转 must equal last year's 四、结转下年度, column by column."""
    now, before = _values(this_year), _values(last_year)
    failures = []
    for column in T.TABLE3_COLUMNS:
        carried_in = now.get(("三", T.CARRIED_IN, column))
        carried_out = before.get(("三", T.CARRIED_OUT, column))
        if carried_in is not None and carried_out is not None and carried_in != carried_out:
            failures.append(
                _failure(
                    "carried_over",
                    "三",
                    T.CARRIED_IN,
                    column,
                    carried_out,
                    carried_in,
                    {"上年结转": carried_in, "上一年度报告的结转下年度": carried_out},
                    f"{column}: 本年报告的上年结转 {carried_in} ≠ 上一年度报告的结转下年度 {carried_out}",
                )
            )
    return failures
