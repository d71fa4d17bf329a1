"""Attached files (附件) into text and tables: the type from the bytes, then the right reader.

Older reports, and many recent ones, are PDF or Word files linked from a one-line page; the
page's extension and Content-Type are often wrong (``.doc`` that is a DOCX, ``download.jsp``
for everything, an HTML error page served with 200), so the type is read from the bytes.

Readers (all permissively licensed; no AGPL): pdfplumber (MIT) for PDF text and ruled tables,
python-docx (MIT) for DOCX, openpyxl (MIT) for XLSX, xlrd (BSD) for XLS, olefile (BSD) to tell the OLE formats
apart, and Debian's ``antiword`` (GPL, run as a separate program) for Word 97 ``.doc``. WPS, ET
and OFD files are recorded as unsupported: no reader for them is packaged here.

A PDF with pages but no text layer is a scan: ``status = "no_text_layer"``, never an empty
success.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field

from . import grid

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
WPS = "application/vnd.ms-works"  # WPS Office files: no reader here
OLE = "application/x-ole-storage"
ZIP = "application/zip"
HTML = "text/html"
OFD = "application/ofd"
UNKNOWN = "application/octet-stream"

FILE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd")
MAX_PDF_PAGES = 80


@dataclass
class Converted:
    """One attachment, read."""

    media_type: str
    size: int
    sha256: str
    status: str  # ok | no_text_layer | unsupported | not_a_file | failed
    text: str = ""
    message: str | None = None  # why, when status is not ok
    grids: list[grid.Grid] = field(default_factory=list)
    pages: int | None = None


def sniff(data: bytes) -> str:
    """The media type of a file from its first bytes (and, for containers, what they contain)."""
    head = data[:1024].lstrip()
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return ZIP
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "OFD.xml" in names:
            return OFD
        return ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(data)
    if re.match(rb"(?is)(<!doctype\s+html|<html|<\?xml|<head|<body|<meta|<script|<!--)", head):
        return HTML
    return UNKNOWN


def _ole_kind(data: bytes) -> str:
    import olefile  # BSD: lists the streams of an OLE2 compound file

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # a truncated or broken OLE file: olefile raises OSError, ValueError, …
        return OLE
    streams = {"/".join(s).lower() for s in ole.listdir()}
    ole.close()
    if "wordDocument".lower() in streams:
        return DOC  # WPS 文字 saves .doc-compatible files too; antiword reads both
    if "workbook" in streams or "book" in streams:
        return XLS
    return WPS if any("wps" in s for s in streams) else OLE


def convert(data: bytes) -> Converted:
    """Text (and tables) of one attached file; never raises for a bad file, says what went wrong."""
    media_type = sniff(data)
    out = Converted(media_type=media_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), status="ok")
    reader = _READERS.get(media_type)
    if reader is None:
        out.status = "not_a_file" if media_type == HTML else "unsupported"
        out.message = (
            "the server sent a web page instead of the file" if media_type == HTML else f"no reader for {media_type}"
        )
        return out
    try:
        reader(data, out)
    except Exception as e:  # a broken file is recorded, and the crawl goes on
        out.status, out.message = "failed", f"{type(e).__name__}: {e}"[:300]
        out.text, out.grids = "", []
    return out


def _read_pdf(data: bytes, out: Converted) -> None:
    import pdfplumber  # MIT

    lines: list[tuple[str, bool]] = []  # (text, whether it runs to the right margin), over all pages
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out.pages = len(pdf.pages)
        for page in pdf.pages[:MAX_PDF_PAGES]:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            prose = page.filter(lambda obj, boxes=boxes: not any(_inside(obj, box) for box in boxes)) if boxes else page
            lines += _full_lines(prose.extract_text_lines())
            for table in tables:  # tables as our HTML extraction writes them: a row per line, cells " | "
                g = grid.pdf_table_grid(table)
                out.grids.append(g)
                lines += [(" | ".join(_unique(row)), False) for row in g if any(row)]
    out.text = unwrap(lines)
    if not out.text and out.pages:
        out.status = "no_text_layer"
        out.message = f"{out.pages} page(s) without a text layer (a scan): the text needs OCR"


def _inside(obj: dict, box: tuple) -> bool:
    x, y = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _full_lines(lines: list[dict]) -> list[tuple[str, bool]]:
    """A page's lines, each marked when it reaches the margin most full lines of the page reach."""
    ends = sorted(line["x1"] for line in lines)
    right = ends[int(len(ends) * 0.75)] if ends else 0
    return [(line["text"].strip(), line["x1"] >= right - 14) for line in lines]


def unwrap(lines: list[tuple[str, bool]]) -> str:
    """Join the lines a PDF wrapped mid-paragraph, across page breaks too: a full line that ends no
    sentence goes on in the next (Chinese needs no space there; search needs no break)."""
    out: list[str] = []
    wrapped = False
    for text, full in lines:
        if wrapped and out:
            out[-1] += text
        else:
            out.append(text)
        wrapped = full and not re.search(r"[。！？；：:]$", text)
    return "\n".join(t for t in out if t).strip()


def _read_docx(data: bytes, out: Converted) -> None:
    import docx  # python-docx (MIT)
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            g = grid.docx_table_grid(block)
            out.grids.append(g)
            lines.extend(" | ".join(_unique(row)) for row in g if any(row))
        elif block.text.strip():
            lines.append(block.text.strip())
    out.text = "\n".join(lines)


def _unique(row: list[str]) -> list[str]:
    """A table row as our HTML extraction writes it: a merged cell once, not once per column it spans."""
    cells: list[str] = []
    for cell in row:
        if not cells or cell != cells[-1]:
            cells.append(cell)
    return cells


def _read_xlsx(data: bytes, out: Converted) -> None:
    out.grids = grid.xlsx_grids(data)
    out.text = "\n".join(" | ".join(_unique(row)) for g in out.grids for row in g if any(row))


def _read_xls(data: bytes, out: Converted) -> None:
    out.grids = grid.xls_grids(data)
    out.text = "\n".join(" | ".join(_unique(row)) for g in out.grids for row in g if any(row))


def _read_doc(data: bytes, out: Converted) -> None:
    tool = shutil.which("antiword")
    if tool is None:
        out.status, out.message = "unsupported", "antiword is not installed (apt-get install antiword)"
        return
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        done = subprocess.run([tool, "-m", "UTF-8.txt", "-w", "0", f.name], capture_output=True, timeout=60)
    if done.returncode != 0:
        raise ValueError(done.stderr.decode("utf-8", "replace").strip() or f"antiword exited {done.returncode}")
    out.text = done.stdout.decode("utf-8", "replace").strip()


_READERS = {PDF: _read_pdf, DOCX: _read_docx, XLSX: _read_xlsx, XLS: _read_xls, DOC: _read_doc}
