"""The standard statistics tables of the annual report, for the sample sites.

Since 2019 every report carries three tables (二 proactive disclosure, 三 requests, 四
reconsideration and litigation) whose labels are fixed by the template (国办公开办函〔2019〕60号,
revised by 〔2021〕30号; see ``../shared/report-template.md``). The samples must carry them the way
real pages do — HTML with rowspan/colspan, full-width digits in some labels — and the manifest
must know every cell, so parsers can be scored cell by cell.

``generate_cells`` draws numbers that satisfy the template's identities (一 + 二 = 三（七） + 四 in
every column; 总计 = the sum of the applicant columns); ``render_table`` lays them out as HTML.
Cells use the canonical names that ``nianbao extract`` prints: table "二" | "三" | "四", row path
joined with "/", column name as in the template.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from pipelines.template import (  # the template's labels are facts the parser reads too
    APPLICANTS,
    CARRIED_IN,
    CARRIED_OUT,
    OUTCOMES,
    RECEIVED,
    RESULTS,
    TABLE2,
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TOTAL_ROW,
    outcome_rows,
    table3_rows,
)

# Relative weight of each outcome group when finished requests are spread over them.
_OUTCOME_WEIGHTS = {"（一）": 10, "（二）": 2, "（三）": 0.6, "（四）": 4, "（五）": 0.8, "（六）": 0.6}
UNITS = {"采购总金额": "万元", "本年收费金额（单位：万元）": "万元"}

_FULL_WIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class Cell:
    """One number of a standard table, under its canonical row and column."""

    table: str
    row: str
    column: str
    value: int | float
    unit: str | None
    label: str  # the row label as printed on the page

    def as_dict(self) -> dict:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
        }


def _spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into len(weights) non-negative integers, roughly by weight."""
    counts = [0] * len(weights)
    for _ in range(total):
        counts[rng.choices(range(len(weights)), weights=weights)[0]] += 1
    return counts


def _label(row: str, full_width: bool) -> str:
    """The row label as printed: the last part of its path, maybe with full-width digits."""
    leaf = row.rsplit("/", 1)[-1]
    return leaf.translate(_FULL_WIDTH_DIGITS) if full_width and leaf[:1].isdigit() else leaf


def generate_cells(
    rng: random.Random, template: str, size: int = 1, full_width: bool = False, carried_in: dict[str, int] | None = None
) -> list[Cell]:
    """Draw a consistent set of the three tables for one report.

    ``size`` scales the counts (1 for a department or township, up to 5 for a city);
    ``carried_in`` fixes row 二 per applicant column (last year's 四), so a site's reports
    agree across years.
    """
    cells: list[Cell] = []
    # Table 二.
    for section, columns, rows in TABLE2[template]:
        for row in rows:
            for column in columns:
                value = _table2_value(rng, template, row, column, size)
                path = f"{section}/{row}"
                cells.append(Cell("二", path, column, value, UNITS.get(column), row))
    # Table 三.
    received = {c: 0 for c in APPLICANTS}
    received["自然人"] = rng.randint(3, 40) * size
    received["商业企业"] = rng.randint(0, 6) * size
    for c in ("科研机构", "社会公益组织", "法律服务机构", "其他"):
        received[c] = rng.choice((0, 0, 0, 1, 2))
    prior = dict(carried_in or {c: rng.choice((0, 0, 0, 1)) for c in APPLICANTS})
    leaves = outcome_rows(template)
    weights = []
    for row in leaves:
        group = row.split("/")[1][:3]
        siblings = sum(1 for r in leaves if r.split("/")[1][:3] == group)
        weights.append(_OUTCOME_WEIGHTS[group] / siblings)
    per_row: dict[str, dict[str, int]] = {r: {} for r in table3_rows(template)}
    for c in APPLICANTS:
        total = received[c] + prior[c]
        out = min(total, rng.choice((0, 0, 0, 1, 2)))
        finished = total - out
        for row, n in zip(leaves, _spread(rng, finished, weights)):
            per_row[row][c] = n
        per_row[RECEIVED][c] = received[c]
        per_row[CARRIED_IN][c] = prior[c]
        per_row[f"{RESULTS}/{TOTAL_ROW}"][c] = finished
        per_row[CARRIED_OUT][c] = out
    for row in table3_rows(template):
        values = per_row[row]
        values["总计"] = sum(values[c] for c in APPLICANTS)
        for column in TABLE3_COLUMNS:
            cells.append(Cell("三", row, column, values[column], None, _label(row, full_width)))
    # Table 四.
    for group in TABLE4_GROUPS:
        kept = rng.choice((0, 0, 1, 2, 3)) * (1 if group == "行政诉讼/复议后起诉" else size)
        corrected = rng.choice((0, 0, 0, 1))
        other = rng.choice((0, 0, 1))
        pending = rng.choice((0, 0, 1))
        values = (kept, corrected, other, pending, kept + corrected + other + pending)
        for column, value in zip(TABLE4_COLUMNS, values):
            cells.append(Cell("四", group, column, value, None, group.rsplit("/", 1)[-1]))
    return cells


def _table2_value(rng: random.Random, template: str, row: str, column: str, size: int) -> int | float:
    if column == "本年收费金额（单位：万元）":
        return round(rng.uniform(0, 500) * size, 2)
    if column == "采购总金额":
        return round(rng.uniform(10, 3000) * size, 2)
    if column == "本年增/减":
        return rng.randint(-5, 8)
    if row == "规章":
        return rng.choice((0, 0, 0, 1)) if "数" in column else 0
    if column in ("对外公开总数量", "现行有效件数", "上一年项目数量"):
        return rng.randint(20, 300) * size
    if column in ("处理决定数量", "本年处理决定数量"):
        return rng.randint(0, 900) * size
    return rng.randint(0, 40) * size


def carried_out(cells: list[Cell]) -> dict[str, int]:
    """Row 四 per applicant column: what the next year's report carries in as row 二."""
    return {
        c.column: int(c.value) for c in cells if c.table == "三" and c.row == CARRIED_OUT and c.column in APPLICANTS
    }


def summary(cells: list[Cell]) -> dict[str, int]:
    """The few numbers a report's prose mentions, named as ``texts.DocContext.stats`` expects."""
    get = {(c.table, c.row, c.column): c.value for c in cells}

    def total(row: str) -> int:
        return int(get.get(("三", row, "总计"), 0))

    def group_total(prefix: str) -> int:
        return sum(
            int(c.value)
            for c in cells
            if c.table == "三" and c.column == "总计" and c.row.startswith(f"{RESULTS}/{prefix}")
        )

    regulations = sum(
        int(v)
        for (t, r, col), v in get.items()
        if t == "二" and r.endswith("规范性文件") and col in ("本年新制作数量", "本年制发件数")
    )
    licences = sum(
        int(v)
        for (t, r, col), v in get.items()
        if t == "二" and r.endswith("/行政许可") and col in ("处理决定数量", "本年处理决定数量")
    )
    return {
        "received": total(RECEIVED),
        "carried_in": total(CARRIED_IN),
        "granted": group_total("（一）"),
        "partly": group_total("（二）"),
        "refused": group_total("（三）"),
        "finished": total(f"{RESULTS}/{TOTAL_ROW}"),
        "carried_out": total(CARRIED_OUT),
        "reconsideration": int(get[("四", "行政复议", "总计")]),
        "litigation": int(
            get[("四", "行政诉讼/未经复议直接起诉", "总计")] + get[("四", "行政诉讼/复议后起诉", "总计")]
        ),
        "regulations": regulations,
        "licences": licences,
    }


# ---------------------------------------------------------------------------------------------
# HTML rendering


def _fmt(value: int | float) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _printed(cell: Cell) -> str:
    """A number as printed: with its unit, unless the column header names it (采购总金额 does not)."""
    unit = cell.unit if cell.unit and cell.unit not in cell.column else ""
    return _fmt(cell.value) + unit


Span = tuple[str, int, int]  # (text, rowspan, colspan): one printed cell of a table layout


def _span(text: str, rowspan: int = 1, colspan: int = 1) -> Span:
    return (text, rowspan, colspan)


def table_layout(table: str, template: str, cells: list[Cell]) -> list[list[Span]]:
    """One standard table as printed cells, row by row, with the template's merged cells.

    The HTML page, the DOCX and the PDF attachments are all drawn from this one layout.
    """
    by_key = {(c.row, c.column): c for c in cells if c.table == table}
    rows: list[list[Span]] = []

    def value(row: str, column: str) -> Span:
        return _span(_printed(by_key[(row, column)]))

    if table == "二":
        for section, columns, items in TABLE2[template]:
            width = 4
            rows.append([_span(section, colspan=width)])
            spans = _spans(len(columns), width - 1)
            rows.append([_span("信息内容")] + [_span(col, colspan=s) for col, s in zip(columns, spans)])
            for item in items:
                path = f"{section}/{item}"
                rows.append(
                    [_span(item)] + [_span(_printed(by_key[(path, col)]), colspan=s) for col, s in zip(columns, spans)]
                )
    elif table == "三":
        rows.append([_span(TABLE3_NOTE, rowspan=3, colspan=3), _span("申请人情况", colspan=7)])
        rows.append([_span("自然人", rowspan=2), _span("法人或其他组织", colspan=5), _span("总计", rowspan=2)])
        rows.append([_span(c) for c in APPLICANTS[1:]])

        def data(row: str) -> list[Span]:
            return [value(row, c) for c in TABLE3_COLUMNS]

        def label(row: str) -> str:
            return by_key[(row, "总计")].label

        rows.append([_span(label(RECEIVED), colspan=3)] + data(RECEIVED))
        rows.append([_span(label(CARRIED_IN), colspan=3)] + data(CARRIED_IN))
        n_results = len(outcome_rows(template)) + 1
        first = True
        for group, leaves in OUTCOMES[template]:
            head = [_span(RESULTS, rowspan=n_results)] if first else []
            first = False
            if not leaves:
                row = f"{RESULTS}/{group}"
                rows.append(head + [_span(group, colspan=2)] + data(row))
                continue
            for i, leaf in enumerate(leaves):
                row = f"{RESULTS}/{group}/{leaf}"
                lead = head + [_span(group, rowspan=len(leaves))] if i == 0 else []
                rows.append(lead + [_span(label(row))] + data(row))
        total_row = f"{RESULTS}/{TOTAL_ROW}"
        rows.append([_span(TOTAL_ROW, colspan=2)] + data(total_row))
        rows.append([_span(label(CARRIED_OUT), colspan=3)] + data(CARRIED_OUT))
    elif table == "四":
        rows.append([_span("行政复议", colspan=5), _span("行政诉讼", colspan=10)])
        rows.append(
            [_span(c, rowspan=2) for c in TABLE4_COLUMNS]
            + [_span("未经复议直接起诉", colspan=5), _span("复议后起诉", colspan=5)]
        )
        rows.append([_span(c) for c in TABLE4_COLUMNS * 2])
        rows.append([value(g, c) for g in TABLE4_GROUPS for c in TABLE4_COLUMNS])
    else:
        raise ValueError(f"no standard table {table!r}")
    return rows


def _td(span: Span, styled: bool) -> str:
    text, rowspan, colspan = span
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    body = html.escape(text)
    if styled:  # what Word-pasted tables look like on real CMS pages
        body = f'<p style="text-align:center;line-height:20px"><span style="font-size:14px">{body}</span></p>'
    return f'<td{attrs} valign="middle">{body}</td>'


def render_table(table: str, template: str, cells: list[Cell], styled: bool = False) -> str:
    """One standard table as the HTML a CMS page carries (rowspan/colspan as in the template)."""
    body = "\n".join(
        "<tr>" + "".join(_td(span, styled) for span in row) + "</tr>" for row in table_layout(table, template, cells)
    )
    return f'<table border="1" cellspacing="0" cellpadding="0" width="100%">\n<tbody>\n{body}\n</tbody>\n</table>'


def positions(layout: list[list[Span]]) -> tuple[list[tuple[int, int, Span]], int, int]:
    """Where each printed cell of a layout starts on the grid: (row, column, span), and the grid size."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = 0
    for r, row in enumerate(layout):
        c = 0
        for span in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, span))
            for dr in range(span[1]):
                for dc in range(span[2]):
                    taken.add((r + dr, c + dc))
            c += span[2]
            width = max(width, c)
    return placed, len(layout), width


def _spans(n: int, width: int) -> list[int]:
    """Column spans that stretch n header cells over ``width`` grid columns (last one wider)."""
    spans = [1] * n
    spans[-1] += width - n
    return spans
