"""Attached files: the type is read from the bytes, every outcome has a status, nothing raises."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from crawler.samples import files
from pipelines import attachments


@pytest.fixture(scope="module")
def report_2021(web1):
    return web1.world.documents["yichun-2021"]


def test_type_comes_from_the_bytes_not_the_name(report_2021):
    assert attachments.sniff(files.docx_bytes(report_2021)) == attachments.DOCX
    assert attachments.sniff(files.pdf_bytes(report_2021)) == attachments.PDF
    assert attachments.sniff(b"<!DOCTYPE html><html><body>404</body></html>") == attachments.HTML
    assert attachments.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) in (attachments.OLE, attachments.WPS)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "x")
    assert attachments.sniff(buf.getvalue()) == attachments.ZIP


def test_every_kind_of_bad_file_gets_a_status_and_a_reason(report_2021):
    page = attachments.convert(
        b"<html><body>\xe6\x96\x87\xe4\xbb\xb6\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>"
    )
    assert (page.status, page.text) == ("not_a_file", "") and "web page" in page.message
    broken = attachments.convert(files.pdf_bytes(report_2021)[:4000])
    assert broken.status in ("failed", "no_text_layer") and broken.message
    unknown = attachments.convert(b"\x00\x01binary")
    assert unknown.status == "unsupported" and unknown.sha256 and unknown.size == 8


def test_a_scan_is_recorded_as_having_no_text_layer(report_2021):
    scan = attachments.convert(files.pdf_bytes(report_2021, True))
    assert scan.status == "no_text_layer" and scan.pages == 1 and scan.text == "" and "OCR" in scan.message


def test_pdf_text_is_unwrapped_so_search_finds_words_across_line_ends(report_2021):
    text = attachments.convert(files.pdf_bytes(report_2021)).text
    for block in report_2021.blocks:
        if block.kind == "p":
            assert block.text in text
    assert attachments.convert(files.docx_bytes(report_2021)).text.count("\n") > 20


def test_sample_files_are_byte_for_byte_deterministic(web1, web2):
    a, b = web1.world.documents["yichun-2021"], web2.world.documents["yichun-2021"]
    assert files.docx_bytes(a) == files.docx_bytes(b) and files.pdf_bytes(a) == files.pdf_bytes(b)


DOC_FIXTURE = Path(__file__).parent / "fixtures" / "sample-yichun-2016.doc"


def test_word_97_doc_is_read_with_antiword(web1):
    """The fixture is the samples' yichun-2016 report as DOCX, saved as Word 97 by LibreOffice 7.4
    (``soffice --headless --convert-to doc``): no Python library writes .doc, and LibreOffice is too
    big to install for one test."""
    if shutil.which("antiword") is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI=true but antiword is not installed (.ci/run installs it)")
        pytest.skip("antiword is not installed: .doc attachments are recorded as unsupported here")
    data = DOC_FIXTURE.read_bytes()
    assert attachments.sniff(data) == attachments.DOC
    doc = attachments.convert(data)
    assert doc.status == "ok", doc.message
    paragraphs = [b.text for b in web1.world.documents["yichun-2016"].blocks if b.kind == "p"]
    assert paragraphs and all(p in doc.text for p in paragraphs)


def test_tables_attached_as_a_spreadsheet_give_every_cell(web1, rows1):
    from pipelines import stats

    row = next(r for r in rows1 if r["kind"] == "report" and r["report_id"] == "yuanzhou-2020")
    book = attachments.convert(files.xlsx_bytes(web1.world.documents["yuanzhou-2020"]))
    assert (book.media_type, book.status) == (attachments.XLSX, "ok") and len(book.grids) == 3
    parsed = stats.parse(book.grids, 2020)

    def key(c):
        return (c["table"], c["row"], c["column"])

    assert parsed.problems == [] and sorted(parsed.cells, key=key) == sorted(row["stats"]["cells"], key=key)


def test_tables_in_an_excel_97_workbook_give_every_cell(rows1):
    """The fixture is ``files.xlsx_bytes`` of yuanzhou-2020 saved as Excel 97 by LibreOffice 7.4."""
    from pipelines import stats

    row = next(r for r in rows1 if r["kind"] == "report" and r["report_id"] == "yuanzhou-2020")
    book = attachments.convert((Path(__file__).parent / "fixtures" / "sample-yuanzhou-2020-tables.xls").read_bytes())
    assert (book.media_type, book.status) == (attachments.XLS, "ok")
    parsed = stats.parse(book.grids, 2020)

    def key(c):
        return (c["table"], c["row"], c["column"])

    assert parsed.problems == [] and sorted(parsed.cells, key=key) == sorted(row["stats"]["cells"], key=key)


def test_a_table_inside_a_docx_table_cell_keeps_its_text():
    """python-docx's cell.text leaves out a table nested in the cell: its text was lost."""
    import docx

    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "项目", "数量"
    outer.cell(1, 0).text = "主动公开"
    inner = outer.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "规章", "12"
    made = io.BytesIO()
    document.save(made)
    read = attachments.convert(made.getvalue())
    assert read.status == "ok"
    assert read.grids == [[["项目", "数量"], ["主动公开", "规章 | 12"]]]
    assert read.text == "项目 | 数量\n主动公开 | 规章 | 12"
