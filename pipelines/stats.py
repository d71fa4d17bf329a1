"""The standard statistics tables of a report, read into canonical cells.

Input is grids (``pipelines.grid``: HTML, DOCX, PDF and spreadsheet tables all become rows of
strings with merged cells copied out), so this module only has to know the template. Each
grid is recognised by its labels (table 二 by 第二十条, 三 by its applicant header, 四 by 行政复议
and 结果维持), its header cells are matched to the template's columns wherever they stand (a moved
总计 column is fine), and each row label to a canonical row path (``pipelines.template``):
full-width digits and brackets, spaces and line breaks inside labels, quotes, and 规范性文件 vs
行政规范性文件 are all tolerated.

What cannot be read is said, never guessed: a row label matching nothing, a column header
missing, a cell that is not a number — each becomes a ``problems`` line and no cell. A blank
cell is no number (not a zero).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from . import template as T
from .grid import Grid

_DROP = re.compile(r"[\s\u00a0\u3000“”\"‘’'「」『』]+")
_NUMBERING = re.compile(r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+[、.,，]|\d+[.、,，]?)")
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万元|元|件|个|项|次|宗|人次)?$")
_BLANK = {"", "-", "—", "——", "/", "\\", "无", "空"}
_SECTION = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")
_UNIT_IN_HEADER = re.compile(r"单位[:：]?([^()（）]+)")
TEMPLATES = ("2019", "2021")


@dataclass
class Stats:
    """Parsed standard tables of one report (or attachment)."""

    template: str | None
    cells: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read, in words
    source: str | None = None  # "page", or the URL of the attachment the tables came from

    def as_dict(self) -> dict:
        # Not dataclasses.asdict: it deep-copies a thousand small dicts per report for nothing.
        return {"template": self.template, "cells": self.cells, "problems": self.problems, "source": self.source}


def norm(label: str) -> str:
    """A label compared by what it says: NFKC (full-width digits and brackets), no spaces or quotes."""
    return _DROP.sub("", unicodedata.normalize("NFKC", label or "")).rstrip(":：")


def core(label: str) -> str:
    """The label without its numbering (一、 （三） 1. …)."""
    return _NUMBERING.sub("", norm(label), count=1)


def match(printed: str, candidates) -> str | None:
    """The candidate label a printed label means, or None when none (or several) fit."""
    p = core(printed)
    if not p:
        return None
    cores = {c: core(c) for c in candidates}
    exact = [c for c, k in cores.items() if k == p]
    if exact:
        return exact[0] if len(exact) == 1 else None
    prefix = [c for c, k in cores.items() if len(p) >= 2 and (k.startswith(p) or p.startswith(k))]
    if len(prefix) == 1:
        return prefix[0]
    scored = sorted(((difflib.SequenceMatcher(None, p, k).ratio(), c) for c, k in cores.items()), reverse=True)
    if scored and scored[0][0] >= 0.75 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
        return scored[0][1]
    return None


def number(text: str) -> tuple[int | float, str | None] | None:
    """(value, unit printed with it), or None for text that is no number."""
    t = norm(text).replace(",", "").replace("，", "").replace("−", "-")
    m = _NUMBER.match(t)
    if not m:
        return None
    raw = m.group(1)
    value = float(raw) if "." in raw else int(raw)
    return value, m.group(2)


def is_blank(text: str) -> bool:
    return norm(text) in _BLANK


def kind_of(grid: Grid) -> str | None:
    """Which standard table a grid is: "二", "三", "四", or None."""
    text = "".join(norm(c) for row in grid for c in row)
    if "自然人" in text and ("本年新收" in text or "办理结果" in text):
        return "三"
    if "结果维持" in text and "行政复议" in text:
        return "四"
    if "第二十条" in text or ("信息内容" in text and ("规章" in text or "行政许可" in text)):
        return "二"
    return None


def detect_template(grids_by_kind: dict[str, list[Grid]], report_year: int | None) -> str | None:
    """2019 or 2021, from the labels that differ; the report year decides when none is printed."""
    text = "".join(norm(c) for grids in grids_by_kind.values() for g in grids for row in g for c in row)
    if any(k in text for k in ("本年制发件数", "现行有效件数", "本年收费金额", "申请人无正当理由逾期不补正")):
        return "2021"
    if any(k in text for k in ("本年新制作数量", "上一年项目数量", "采购项目数量", "对外公开总数量")):
        return "2019"
    if report_year:
        return "2021" if report_year >= 2021 else "2019"
    return None


def parse(grids: list[Grid], report_year: int | None = None, source: str | None = None) -> Stats | None:
    """The standard tables among ``grids`` as canonical cells; None when there are none."""
    by_kind: dict[str, list[Grid]] = {}  # a table's grids: its own, then those continuing it on later PDF pages
    last = None
    for grid in grids:
        kind = kind_of(grid)
        if kind is None and last and _continues(last, grid):
            kind = last
        elif kind in by_kind and kind != "二":
            continue  # a second table 三 or 四 (an appendix repeating it): the first one counts
        if kind:
            by_kind.setdefault(kind, []).append(grid)
            last = kind
    if not by_kind:
        return None
    tmpl = detect_template(by_kind, report_year)
    stats = Stats(template=tmpl, source=source)
    if tmpl is None:
        stats.problems.append("template not recognised (neither 2019 nor 2021 labels, and no report year)")
        return stats
    if "二" in by_kind:
        _table2([row for g in by_kind["二"] for row in g], tmpl, stats)
    if "三" in by_kind:
        _table3(by_kind["三"], tmpl, stats)
    if "四" in by_kind:
        _table4([row for g in by_kind["四"] for row in g], stats)
    for missing in sorted({"二", "三", "四"} - set(by_kind)):
        stats.problems.append(f"table {missing} not found")
    return stats


def _cell(stats: Stats, table: str, row: str, column: str, text: str, label: str, unit: str | None = None) -> None:
    parsed = number(text)
    if parsed is None:
        if not is_blank(text):
            stats.problems.append(f"table {table}: {row} / {column}: not a number: {text!r}")
        return
    value, printed_unit = parsed
    stats.cells.append(
        {"table": table, "row": row, "column": column, "value": value, "unit": printed_unit or unit, "label": label}
    )


def _dedupe(parts: list[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if p and (not out or norm(out[-1]) != norm(p)):
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# Table 二


def _table2(rows: Grid, tmpl: str, stats: Stats) -> None:
    sections = {section: (columns, items) for section, columns, items in T.TABLE2[tmpl]}
    section: str | None = None
    columns: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        cells = [c for c in row]
        # A section label, alone on its row or in a leading column.
        while cells and _SECTION.search(norm(cells[0])):
            numeral = _SECTION.search(norm(cells[0])).group(1)
            section = next((s for s in sections if f"（{numeral}）" in s), None)
            if section is None:
                stats.problems.append(f"table 二: section {cells[0]!r} is not in the {tmpl} template")
            columns = {}
            cells = cells[1:]
        if section is None or not cells or not any(cells):
            continue
        section_columns, items = sections[section]
        if core(cells[0]) == "信息内容":
            columns = {}
            for i, text in enumerate(cells[1:], start=1):
                column = match(text, section_columns)
                if column and column not in columns:
                    columns[column] = i
            missing = [c for c in section_columns if c not in columns]
            if missing:
                stats.problems.append(f"table 二: {section}: columns not found: {', '.join(missing)}")
            continue
        item = match(cells[0], items) or _regulation_variant(cells[0], items)
        if item is None:
            if any(number(c) for c in cells[1:]):
                stats.problems.append(f"table 二: {section}: row {cells[0]!r} not recognised")
            continue
        path = f"{section}/{item}"
        for column, i in columns.items():
            if (path, column) in seen or i >= len(cells):
                continue
            seen.add((path, column))
            header_unit = _UNIT_IN_HEADER.search(norm(column))
            _cell(stats, "二", path, column, cells[i], cells[0], header_unit.group(1) if header_unit else None)


def _regulation_variant(label: str, items) -> str | None:
    """规范性文件 and 行政规范性文件 name the same row in the two templates."""
    if core(label) in ("规范性文件", "行政规范性文件"):
        return next((i for i in items if i.endswith("规范性文件")), None)
    return None


# ---------------------------------------------------------------------------------------------
# Table 三

_TABLE3_ALIASES = {"合计": "总计"}


def _continues(kind: str, grid: Grid) -> bool:
    """A grid without labels of its own that carries on the table before it (split by a page break)."""
    if kind == "三":
        return _looks_like_table3_rows(grid)
    if kind == "四":
        return bool(grid) and _numeric_count(grid[0]) >= 5
    return False


def _looks_like_table3_rows(grid: Grid) -> bool:
    labels = [norm(c) for row in grid for c in row[:3]]
    return any(
        ("办理结果" in label or "不予公开" in label or "结转下年度" in label or "无法提供" in label) for label in labels
    )


def _numeric_count(row: list[str]) -> int:
    return sum(number(c) is not None for c in row)


def _table3(grids: list[Grid], tmpl: str, stats: Stats) -> None:
    header_grid = grids[0]
    first_data = next((i for i, row in enumerate(header_grid) if _numeric_count(row) >= 3), None)
    if first_data is None:
        stats.problems.append("table 三: no row of numbers")
        return
    columns: dict[str, int] = {}
    width = max(len(r) for r in header_grid)
    for c in range(width):
        for row in reversed(header_grid[:first_data]):
            text = row[c] if c < len(row) else ""
            name = _TABLE3_ALIASES.get(norm(text), norm(text))
            if name in T.TABLE3_COLUMNS:
                columns.setdefault(name, c)
                break
    missing = [c for c in T.TABLE3_COLUMNS if c not in columns]
    if missing:
        stats.problems.append(f"table 三: columns not found: {', '.join(missing)}")
    if not columns:
        return
    # Rows of the first grid, then of the grids continuing it; a continuation may have a different
    # number of label columns (a PDF page with no line between them), so values align from the right.
    rows = [(row, columns) for row in header_grid[first_data:]]
    for g in grids[1:]:
        shift = max(len(r) for r in g) - width
        rows += [(row, {name: c + shift for name, c in columns.items()}) for row in g]
    seen: set[str] = set()
    for row, row_columns in rows:
        if _numeric_count(row) == 0:
            continue
        value_columns = set(row_columns.values())
        parts = _dedupe([row[c] for c in range(len(row)) if c not in value_columns and number(row[c]) is None])
        path = _table3_row(parts, tmpl)
        if path is None:
            if parts and norm(parts[-1]).endswith("小计"):
                continue
            stats.problems.append(f"table 三: row {' / '.join(parts)!r} not recognised")
            continue
        if path in seen:
            stats.problems.append(f"table 三: row {path} printed twice; the second is ignored")
            continue
        seen.add(path)
        for column, c in row_columns.items():
            if 0 <= c < len(row):
                _cell(stats, "三", path, column, row[c], parts[-1])


def _table3_row(parts: list[str], tmpl: str) -> str | None:
    """The canonical path of a row of table 三 from its printed label parts, or None."""
    tops = (T.RECEIVED, T.CARRIED_IN, T.RESULTS, T.CARRIED_OUT)
    group_names = [g for g, _ in T.OUTCOMES[tmpl]] + [T.TOTAL_ROW]
    for i, part in enumerate(parts):
        top = match(part, tops)
        if top in (T.RECEIVED, T.CARRIED_IN, T.CARRIED_OUT):
            return top
        if top == T.RESULTS:
            rest = parts[i + 1 :]
            break
        if match(part, group_names):  # the 三、本年度办理结果 cell is missing; the group names the row
            rest = parts[i:]
            break
    else:
        return None
    if not rest:
        return None
    groups = dict(T.OUTCOMES[tmpl])
    group = match(rest[0], group_names)
    if group is None:
        return None
    if group == T.TOTAL_ROW:
        return f"{T.RESULTS}/{T.TOTAL_ROW}"
    leaves = groups[group]
    if not leaves:
        return f"{T.RESULTS}/{group}"
    if len(rest) < 2:
        return None  # a subtotal row of the group: not a cell of the template
    leaf = match(rest[1], leaves) or _by_number(rest[1], leaves)
    return f"{T.RESULTS}/{group}/{leaf}" if leaf else None


def _by_number(label: str, leaves) -> str | None:
    """A leaf whose wording drifted too far is still known by its number (``3.``) when that is printed."""
    m = re.match(r"^(\d+)[.、]", norm(label))
    if not m:
        return None
    n = int(m.group(1))
    return leaves[n - 1] if 1 <= n <= len(leaves) and core(label)[:2] == core(leaves[n - 1])[:2] else None


# ---------------------------------------------------------------------------------------------
# Table 四


def _table4(grid: Grid, stats: Stats) -> None:
    first_data = next((i for i, row in enumerate(grid) if _numeric_count(row) >= 5), None)
    if first_data is None:
        stats.problems.append("table 四: no row of numbers")
        return
    header = grid[:first_data]
    columns: dict[tuple[str, str], tuple[int, str]] = {}
    width = max(len(r) for r in grid)
    for c in range(width):
        texts = [row[c] for row in header if c < len(row)]
        normed = [norm(t) for t in texts]
        if any("未经复议" in t for t in normed):
            group, label = "行政诉讼/未经复议直接起诉", next(t for t in texts if "未经复议" in norm(t))
        elif any("复议后起诉" in t for t in normed):
            group, label = "行政诉讼/复议后起诉", next(t for t in texts if "复议后起诉" in norm(t))
        elif any("行政复议" in t for t in normed):
            group, label = "行政复议", next(t for t in texts if "行政复议" in norm(t))
        else:
            continue
        column = next((col for t in reversed(texts) for col in [match(t, T.TABLE4_COLUMNS)] if col), None)
        if column and (group, column) not in columns:
            columns[(group, column)] = (c, label)
    missing = [f"{g} / {c}" for g, c in T.table4_cells() if (g, c) not in columns]
    if missing:
        stats.problems.append(f"table 四: columns not found: {', '.join(missing)}")
    row = grid[first_data]
    for (group, column), (c, label) in columns.items():
        if c < len(row):
            _cell(stats, "四", group, column, row[c], label)
