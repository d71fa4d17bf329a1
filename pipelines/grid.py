"""Tables as grids: every source of a table (HTML, DOCX, PDF, spreadsheet) becomes rows of strings.

A merged cell is copied into every grid position it covers, so a row always has the label of
the group it belongs to (``三、本年度办理结果`` spans twenty rows in the template) and a column
always has its header. Everything downstream (``pipelines.stats``) works on grids only, so the
template's labels are mapped once, whatever the file format was.
"""

from __future__ import annotations

import io
import re

Grid = list[list[str]]

_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_MAX_SPAN = 100  # a rowspan="9999" on a broken page must not make a million-cell grid
# Grid positions of one table, and of all the tables of one page or file: the template's tables
# have about 300; a table past this is data, not the template, and its text is read all the same
# (row by row, by whoever reads the page or the file). Building a grid costs about 15 µs a position.
MAX_TABLE_CELLS = 50_000
MAX_CELLS = 200_000


class TooManyCells(ValueError):
    """A table larger than MAX_TABLE_CELLS: not made into a grid."""


def _cell_text(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def html_grid(table, limit: int = MAX_TABLE_CELLS) -> Grid:
    """An lxml ``<table>`` element as a grid, rowspan and colspan expanded.

    Nested tables are left to their own call: only this table's rows count.
    Raises ``TooManyCells`` past ``limit`` grid positions, before building them.
    """
    rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
    if sum(1 for _ in table.iter("td", "th")) > limit:
        raise TooManyCells(f"a table of more than {limit:,} cells")
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _cell_text(td.text_content())
            for dr in range(_span(td.get("rowspan"))):
                if r + dr >= len(rows):
                    break
                for dc in range(_span(td.get("colspan"))):
                    grid.setdefault((r + dr, c + dc), text)
            c += _span(td.get("colspan"))
            width = max(width, c)
        if len(grid) > limit or len(rows) * width > limit:  # spans can multiply a few cells
            raise TooManyCells(f"a table of more than {limit:,} cells")
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _owner(tr):
    for parent in tr.iterancestors("table"):
        return parent
    return None


def docx_table_grid(table, limit: int = MAX_TABLE_CELLS) -> Grid:
    """A python-docx table as a grid, a merged cell in each position it covers, as ``row.cells`` gives
    it; read here in one pass, because ``row.cells`` looks up every vertically merged cell by walking
    up the rows with XPath (3,000 merged rows of 40 columns, a 70 KB file, took minutes).

    Raises ``TooManyCells`` past ``limit`` grid positions. A continued merge with no cell above it
    (python-docx raises) is read as an empty cell."""
    from docx.table import _Cell

    out: Grid = []
    above: dict[int, tuple[str, int]] = {}  # grid offset -> (text, span) of the cell begun there, a row up
    positions = 0
    for tr in table._tbl.tr_lst:
        offset, here, row = tr.grid_before, {}, []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                text, span = above.get(offset, ("", tc.grid_span))
            else:
                text, span = _cell_text(_join_cjk_lines(_docx_cell_text(_Cell(tc, table)))), tc.grid_span
            positions += span
            if positions > limit:
                raise TooManyCells(f"a table of more than {limit:,} cells")
            here[offset] = (text, span)
            row.extend([text] * span)
            offset += tc.grid_span
        above = here
        out.append(row)
    return out


def _docx_cell_text(cell) -> str:
    """A cell's paragraphs, as python-docx's ``cell.text``, and the rows of a table inside it, which
    ``cell.text`` leaves out (their text was lost)."""
    from docx.table import Table

    parts = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            parts += [" | ".join(row) for row in docx_table_rows(block) if any(row)]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def docx_table_rows(table) -> Grid:
    """A table's text, cell by cell as written (merges not expanded): for a table too big for a grid."""
    return [
        [_cell_text("".join(tc.xpath(".//w:t/text()"))) for tc in tr.tc_lst] for tr in table._tbl.tr_lst if tr.tc_lst
    ]


def pdf_table_grid(table) -> Grid:
    """A pdfplumber table (found from the drawn lines) as a grid.

    pdfplumber gives None for the grid positions a merged cell covers; each is filled with the
    text of the drawn cell that contains it, so merged cells behave as in HTML. A table broken
    over a page break arrives as two grids, which ``pipelines.stats`` reads as one run of rows.
    """
    texts = table.extract()
    by_box = {}
    for row, row_texts in zip(table.rows, texts):
        for box, text in zip(row.cells, row_texts):
            if box is not None:
                by_box[box] = _cell_text(_join_cjk_lines(text))
    lefts = [col.bbox[0] for col in table.columns]
    out_grid: Grid = []
    for row in table.rows:
        top = row.bbox[1]
        out = []
        for c, box in enumerate(row.cells):
            if box is not None:
                out.append(by_box[box])
                continue
            # The top-left corner of this grid position lies inside exactly the drawn cell covering it.
            x, y = (lefts[c] if c < len(lefts) else 0) + 0.5, top + 0.5
            owner = next((b for b in table.cells if b[0] <= x < b[2] and b[1] <= y < b[3]), None)
            out.append(by_box.get(owner, ""))
        out_grid.append(out)
    return out_grid


_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\s*\n\s*(?=[^\x00-\x7f])")


def _join_cjk_lines(text: str | None) -> str:
    """A label wrapped inside its cell (本年新\n制作数量) reads as one word: no space between Chinese lines."""
    return _CJK_BREAK.sub("", text or "")


def xlsx_grids(data: bytes, limit: int = MAX_CELLS) -> list[Grid | TooManyCells]:
    """Every sheet of an XLSX workbook as one grid, merged ranges expanded; a sheet spanning more than
    ``limit`` positions (one cell in A1 and one in XFD1048576 span 17 billion) is a ``TooManyCells``.
    A sheet is all the text a spreadsheet has, so its limit is a page's or file's (MAX_CELLS), not a table's."""
    import openpyxl  # MIT: reads cell values and merged ranges

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    grids: list[Grid | TooManyCells] = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > limit:
            grids.append(TooManyCells(f"{sheet.max_row:,} rows by {sheet.max_column:,} columns, over {limit:,} cells"))
            continue
        values = [[_cell_text("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(values) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(values[r]))):
                    values[r][c] = top
        grids.append(values)
    return grids


def xls_grids(data: bytes, limit: int = MAX_CELLS) -> list[Grid | TooManyCells]:
    """Every sheet of an Excel 97 (.xls) workbook as one grid, merged ranges expanded (over ``limit``
    positions: a ``TooManyCells``)."""
    import xlrd  # BSD; 2.x reads exactly the old .xls format

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    grids: list[Grid | TooManyCells] = []
    for sheet in book.sheets():
        if sheet.nrows * sheet.ncols > limit:
            grids.append(TooManyCells(f"{sheet.nrows:,} rows by {sheet.ncols:,} columns, over {limit:,} cells"))
            continue
        values = [[_cell_text(_xls_text(sheet.cell(r, c))) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        for top, bottom, left, right in sheet.merged_cells:
            for r in range(top, bottom):
                for c in range(left, right):
                    values[r][c] = values[top][left]
        grids.append(values)
    return grids


def _xls_text(cell) -> str:
    if cell.ctype == 2 and float(cell.value).is_integer():  # xlrd gives every number as a float
        return str(int(cell.value))
    return "" if cell.value is None else str(cell.value)
