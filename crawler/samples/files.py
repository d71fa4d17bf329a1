"""Reports as attached files (附件): the same document as a DOCX or a PDF, or a scan.

Built from the same blocks and table layouts as the HTML pages, so the manifest's truth holds
for every form. Output is byte-for-byte deterministic (fixed ZIP timestamps, reportlab's
``invariant`` mode), so a file's SHA-256 and ETag are the same on every run.

python-docx (MIT) writes the DOCX; reportlab (BSD) the PDF, in its built-in Adobe CJK font
STSong-Light, so no font file is needed and the text layer is real Unicode text.
"""

from __future__ import annotations

import io
import zipfile

from . import tables
from .model import Document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _fixed_zip(data: bytes) -> bytes:
    """The same ZIP with every member dated 2020-01-01: python-docx stamps members with the time."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


_CACHE: dict[tuple, bytes] = {}


def _cached(build):
    """Files are rendered once per document version (a dataclass Document is not hashable)."""

    def wrapper(doc: Document, *args) -> bytes:
        key = (build.__name__, doc.seed, doc.doc_id, doc.version, args)
        if key not in _CACHE:
            if len(_CACHE) >= 64:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = build(doc, *args)
        return _CACHE[key]

    wrapper.__doc__ = build.__doc__
    return wrapper


@_cached
def docx_bytes(doc: Document) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = doc.title
    document.add_heading(doc.title, level=1)
    for block in doc.blocks:
        if block.kind == "table":
            layout = tables.table_layout(block.text, doc.template, doc.cells)
            placed, n_rows, n_cols = tables.positions(layout)
            table = document.add_table(rows=n_rows, cols=n_cols)
            table.style = "Table Grid"
            for r, c, (text, rowspan, colspan) in placed:
                cell = table.cell(r, c)
                if rowspan > 1 or colspan > 1:
                    cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
                cell.text = text
        elif block.kind == "h":
            document.add_paragraph().add_run(block.text).bold = True
        else:
            document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


@_cached
def xlsx_bytes(doc: Document) -> bytes:
    """The report's three statistics tables as a workbook, one sheet each, merged cells as printed
    (some bodies attach the tables as a spreadsheet beside the text)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in ("二", "三", "四"):
        sheet = book.create_sheet(f"表{table}")
        placed, _, _ = tables.positions(tables.table_layout(table, doc.template, doc.cells))
        for r, c, (text, rowspan, colspan) in placed:
            sheet.cell(row=r + 1, column=c + 1, value=text)
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rowspan, end_column=c + colspan)
    book.properties.created = book.properties.modified = __import__("datetime").datetime(2020, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


@_cached
def pdf_bytes(doc: Document, scanned: bool = False) -> bytes:
    """The report as a PDF; ``scanned`` draws only grey bars, as a scan without a text layer looks
    to a text extractor."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    if scanned:
        from reportlab.pdfgen import canvas

        page = canvas.Canvas(out, pagesize=A4, invariant=1)
        for y in range(780, 80, -18):
            page.setFillColor(colors.Color(0.55, 0.55, 0.55))
            page.rect(60, y, 470 - (y % 7) * 20, 9, stroke=0, fill=1)
        page.showPage()
        page.save()
        return out.getvalue()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=10.5, leading=16, firstLineIndent=21, wordWrap="CJK"
    )
    heading = ParagraphStyle("heading", parent=body, fontSize=16, leading=24, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6.5, leading=8, wordWrap="CJK")
    story = [Paragraph(doc.title, heading), Spacer(1, 8)]
    for block in doc.blocks:
        if block.kind == "table":
            layout = tables.table_layout(block.text, doc.template, doc.cells)
            placed, n_rows, n_cols = tables.positions(layout)
            data = [["" for _ in range(n_cols)] for _ in range(n_rows)]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            for r, c, (text, rowspan, colspan) in placed:
                data[r][c] = Paragraph(text, cell)
                if rowspan > 1 or colspan > 1:
                    style.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
            width = 520
            story += [Table(data, colWidths=[width / n_cols] * n_cols, style=TableStyle(style)), Spacer(1, 8)]
        else:
            story.append(Paragraph(block.text, body))
    SimpleDocTemplate(
        out, pagesize=A4, invariant=1, title=doc.title, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36
    ).build(story)
    return out.getvalue()
