"""Hostile files, made here, are read or refused (``too_complex``) in under 10 s and 500 MB each.

Each kind once stopped the crawl for minutes or took gigabytes (issue 19): a DOCX whose XML
unpacks to 130 MB, a DOCX table of 3,000 vertically merged rows, a DOCX nested past libxml2's
depth, a DOCX declaring entities, a PDF of pages dense with characters, a one-page PDF of a
300×300 ruled grid, a spreadsheet spanning 17 billion cells, and a 10 MB HTML table. Each is read
in a fresh process with the readers' own limits only (as ``nianbao extract`` reads: no worker
pool), so the time and the peak memory measured are the file's alone: the CPU time and the peak
RSS of that process (``wait4``), which other work on a busy machine does not inflate.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECONDS, MEGABYTES = 10, 500
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

READ = """
import json, sys
data = open(sys.argv[1], "rb").read()
if sys.argv[2] == "page":
    from pipelines.page import page_faults, process
    r = process(data, "http://a.test/report.html", "text/html; charset=utf-8")
    print(json.dumps({"status": "page", "text": r.text, "faults": page_faults(data, r), "tables": r.stats}))
else:
    from pipelines.attachments import convert
    c = convert(data)
    print(json.dumps({"status": c.status, "message": c.message, "text": c.text, "grids": len(c.grids)}))
"""


def read_alone(tmp_path: Path, data: bytes, kind: str = "file") -> tuple[dict, float, float]:
    """(what was read, CPU seconds, peak MB) of reading ``data`` in a process of its own (with its start)."""
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    out = tmp_path / "out.json"
    with out.open("w") as stdout:
        child = subprocess.Popen([sys.executable, "-c", READ, str(path), kind], cwd=ROOT, stdout=stdout)
    killer = threading.Timer(120, child.kill)  # a reader that hangs fails the test, not the run
    killer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)  # wait4: the child's own CPU time and peak RSS
    finally:
        killer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0
    return json.loads(out.read_text()), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def docx_with_body(chunks) -> bytes:
    """A DOCX made by python-docx, its document.xml replaced by ``chunks`` (streamed into the archive)."""
    import docx

    made = io.BytesIO()
    docx.Document().save(made)
    source = zipfile.ZipFile(made)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, source.read(info))
                continue
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'.encode())
                for chunk in chunks:
                    f.write(chunk)
                f.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_repeated() -> bytes:
    """2 million paragraphs: 130 MB of XML in a 480 KB file (python-docx: 5 minutes, 1.5 GB)."""
    p = "<w:p><w:r><w:t>本年度主动公开政府信息</w:t></w:r></w:p>".encode() * 10_000
    return docx_with_body(p for _ in range(200))


def docx_merged_rows(rows: int = 3000, cols: int = 40) -> bytes:
    """A table of 3,000 rows, every cell merged with the one above (70 KB; python-docx: minutes)."""
    cell = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>{}.{}</w:t></w:r></w:p></w:tc>"
    first = b'<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>top</w:t></w:r></w:p></w:tc>'
    grid = b"<w:tblGrid>" + b'<w:gridCol w:w="100"/>' * cols + b"</w:tblGrid>"
    body = [b"<w:tbl>" + grid + b"<w:tr>" + first * cols + b"</w:tr>"]
    body += [("<w:tr>" + "".join(cell.format(r, c) for c in range(cols)) + "</w:tr>").encode() for r in range(1, rows)]
    return docx_with_body([*body, b"</w:tbl><w:p><w:r><w:t>END-OF-DOCUMENT</w:t></w:r></w:p>"])


def docx_nested(depth: int = 120) -> bytes:
    """Tables in tables, 360 elements deep: past libxml2's depth limit."""
    return docx_with_body(
        [b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>" * depth, b"<w:p/></w:tc></w:tr></w:tbl>" * depth]
    )


def docx_entities() -> bytes:
    """A billion laughs in document.xml: entities of entities, nine levels of ten."""
    import docx

    made = io.BytesIO()
    docx.Document().save(made)
    source = zipfile.ZipFile(made)
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "ha">{laughs}]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info, xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def dense_pdf(pages: int = 4, chars: int = 60_000) -> bytes:
    """Pages of 60,000 characters of 1-point type each (10 KB; 16 s and 560 MB before)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    for _ in range(pages):
        text = c.beginText()
        text.setFont("STSong-Light", 1)
        for line in range(chars // 300):
            text.setTextOrigin(5, 840 - (line % 800))
            text.textOut("公开" * 150)
        c.drawText(text)
        c.showPage()
    c.save()
    return out.getvalue()


def grid_pdf(n: int = 300, text: bool = False) -> bytes:
    """One page ruled into n×n cells: as rectangles, or as lines with a digit in every cell."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(842, 842))
    c.setLineWidth(0.1)
    step = 800 / n
    if text:
        c.setFont("Helvetica", 1)
        for i in range(n + 1):
            c.line(20, 20 + i * step, 820, 20 + i * step)
            c.line(20 + i * step, 20, 20 + i * step, 820)
        for r in range(n):
            for k in range(n):
                c.drawString(21 + k * step, 21 + r * step, str(k % 10))
    else:
        for r in range(n):
            for k in range(n):
                c.rect(20 + k * step, 20 + r * step, step, step)
    c.showPage()
    c.save()
    return out.getvalue()


def xlsx_vast() -> bytes:
    """Two cells, in A1 and XFD1048576: a sheet spanning 17 billion positions."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "2023年"
    book.active["XFD1048576"] = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def html_table(megabytes: int = 10) -> bytes:
    """An article page holding a 10 MB table (46,000 rows of 20 cells; 38 s and 560 MB before)."""
    row = "<tr>" + "<td>12</td>" * 19 + "<td>r{}</td></tr>"
    rows = megabytes * 1024 * 1024 // len(row)
    return (
        '<html><head><meta charset="utf-8"><title>某县2023年政府信息公开工作年度报告</title></head><body>'
        '<div class="TRS_Editor"><p>某县2023年政府信息公开工作年度报告</p><table>'
        + "".join(row.format(r) for r in range(rows))
        + "</table><p>报告完。</p></div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "make, refused_for",
    [
        (docx_repeated, "over 67,108,864"),
        (docx_nested, "Excessive depth"),
        (docx_entities, "declares a DTD"),
        (dense_pdf, "page 1: more than 20,000 characters"),
        (grid_pdf, "page 1: more than 20,000 characters and drawn objects"),
        (lambda: grid_pdf(text=True), "page 1: more than 20,000 characters"),
        (xlsx_vast, "sheet 1: 1,048,576 rows by 16,384 columns"),
    ],
    ids=[
        "docx-repeated",
        "docx-nested",
        "docx-entities",
        "pdf-dense",
        "pdf-grid",
        "pdf-grid-text",
        "xlsx-vast",
    ],
)
def test_a_hostile_file_is_refused_quickly_and_in_little_memory(tmp_path, make, refused_for):
    read, seconds, megabytes = read_alone(tmp_path, make())
    assert read["status"] == "too_complex" and refused_for in read["message"], read["message"]
    assert seconds < SECONDS and megabytes < MEGABYTES, (seconds, megabytes)


def test_a_docx_table_too_big_for_a_grid_is_refused_as_a_table_and_kept_as_text(tmp_path):
    read, seconds, megabytes = read_alone(tmp_path, docx_merged_rows())
    assert read["status"] == "too_complex" and read["grids"] == 0
    assert read["message"] == "a table of more than 50,000 cells: read as text, not as a table"
    lines = read["text"].splitlines()
    assert lines[-1] == "END-OF-DOCUMENT" and lines[-2] == " | ".join(f"2999.{c}" for c in range(40))
    assert len(lines) == 3001 and lines[0] == "top"
    assert seconds < SECONDS and megabytes < MEGABYTES, (seconds, megabytes)


def test_a_10_mb_html_table_is_read_whole_in_bounds(tmp_path):
    data = html_table()
    read, seconds, megabytes = read_alone(tmp_path, data, "page")
    rows = data.count(b"<tr>")
    assert read["text"].count(" | r") == rows and f"12 | r{rows - 1}" in read["text"]
    assert read["text"].endswith("报告完。") and read["faults"] == []
    assert seconds < SECONDS and megabytes < MEGABYTES, (seconds, megabytes)


def test_a_page_ruled_past_the_table_limit_keeps_its_text(tmp_path):
    """5,202 ruling lines (a 2,600×2,600 grid) and one line of text: no table is searched, the text is read."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(842, 842))
    for i in range(2601):
        c.line(20, 20 + i * 0.3, 800, 20 + i * 0.3)
        c.line(20 + i * 0.3, 20, 20 + i * 0.3, 800)
    c.setFont("STSong-Light", 12)
    c.drawString(20, 800, "某县2023年政府信息公开工作年度报告")
    c.showPage()
    c.save()
    read, seconds, megabytes = read_alone(tmp_path, out.getvalue())
    assert read["status"] == "too_complex"
    assert read["message"].endswith("page 1: 5,202 ruling lines, over 5,000: no table read"), read["message"]
    assert read["text"] == "某县2023年政府信息公开工作年度报告" and read["grids"] == 0
    assert seconds < SECONDS and megabytes < MEGABYTES
