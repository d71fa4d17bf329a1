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

A file past one of the limits below is ``status = "too_complex"``, the message saying which, with
whatever text was read within them: a hostile or absurd file (a zip bomb posing as a DOCX, a page
of a PDF drawing 90,000 ruled cells) is refused in a bounded time and memory, not read for minutes.
These are the checks a pure reader can make; the crawl also reads every file in a worker process
with a time and a memory limit (``crawler.reading_pool``), for whatever these do not foresee.
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
from .extract import out_of_memory

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
# A PDF page draws about 2,000 characters (a report's densest table page, 5,000); reading costs
# some 30-60 µs a character and 1-2 KB of memory while the page is read. A page past this is not
# read (the rest of the file is), and the file stops once it has drawn MAX_PDF_CHARS in all.
MAX_PDF_PAGE_OBJECTS = 20_000  # characters, lines, rectangles, curves and images of one page
MAX_PDF_CHARS = 300_000
# Ruling lines of a page beyond which no table is searched on it: the template's tables need a few
# hundred; a 300×300 grid (90,000 cells) kept pdfplumber's table finder busy for minutes.
MAX_PDF_PAGE_RULES = 5_000
# DOCX and XLSX are ZIP files of XML, and a ZIP expands: a 400 KB DOCX held 130 MB of XML, which
# python-docx turned into 1.5 GB of objects in five minutes (about 10 MB and 2 s a MB of XML). The
# archive's declared sizes are checked before anything is unpacked (zipfile stops at the declared
# size: a part cannot expand past it unnoticed); a report's document.xml is 0.1-3 MB.
MAX_XML_BYTES = 12 * 1024 * 1024  # all XML parts together, unpacked
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # every part (images too), unpacked
MAX_ZIP_ENTRIES = 5_000


class TooComplex(Exception):
    """A file past one of the reading limits: recorded as ``too_complex`` with this message."""


@dataclass
class Converted:
    """One attachment, read."""

    media_type: str
    size: int
    sha256: str
    status: str  # ok | no_text_layer | unsupported | not_a_file | failed | too_complex
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


def media_type_by_magic(data: bytes) -> str:
    """The media type from the first bytes alone, opening no container: for a file that could not be
    read (the bytes searched for the OOXML part names, which a ZIP stores uncompressed)."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX if b"word/document.xml" in data else XLSX if b"xl/workbook.xml" in data else ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    return UNKNOWN


def unread(data: bytes, status: str, reason: str) -> Converted:
    """The record of a file whose reading gave nothing: ``too_complex`` (it passed a limit of the
    process reading it) or ``failed``; ``reason`` says which limit, or what went wrong."""
    return Converted(
        media_type=media_type_by_magic(data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        status=status,
        message=reason[:300],
    )


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
    except TooComplex as e:  # what was read within the limits is kept
        out.status, out.message = "too_complex", str(e)[:300]
    except MemoryError:  # the worker's memory limit (crawler.reading_pool), reached inside a reader
        out.status, out.message = "too_complex", "reading it needed more memory than a reader may use"
        out.text, out.grids = "", []
    except Exception as e:  # a broken file is recorded, and the crawl goes on
        if out_of_memory(e):
            out.status, out.message = "too_complex", "reading it needed more memory than a reader may use"
        elif _over_xml_limit(e):
            out.status, out.message = "too_complex", f"XML past the parser's limits: {e}"[:300]
        else:
            out.status, out.message = "failed", f"{type(e).__name__}: {e}"[:300]
        out.text, out.grids = "", []
    return out


def _over_xml_limit(error: Exception) -> bool:
    """libxml2 (without huge_tree, as python-docx parses) stops at nesting depth 256 and 10 MB text nodes."""
    message = str(error)
    return "Excessive depth" in message or "XML_PARSE_HUGE" in message or "Resource limit" in message


def _read_pdf(data: bytes, out: Converted) -> None:
    import pdfplumber  # MIT

    lines: list[tuple[str, bool]] = []  # (text, whether it runs to the right margin), over all pages
    skipped: list[str] = []  # what the limits left unread, page by page
    budget = MAX_PDF_CHARS
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages[:MAX_PDF_PAGES], 1):
            if budget <= 0:
                skipped.append(f"pages {number}-{min(out.pages, MAX_PDF_PAGES)}: past {MAX_PDF_CHARS:,} characters")
                break
            try:
                drawn = _lay_out(page, min(MAX_PDF_PAGE_OBJECTS, budget))
            except _OverBudget as e:
                skipped.append(f"page {number}: {e}")
                budget -= e.chars
                page.close()
                continue
            budget -= drawn.chars
            tables = page.find_tables() if drawn.rules <= MAX_PDF_PAGE_RULES else []
            if drawn.rules > MAX_PDF_PAGE_RULES:
                skipped.append(
                    f"page {number}: {drawn.rules:,} ruling lines, over {MAX_PDF_PAGE_RULES:,}: no table read"
                )
            boxes = [t.bbox for t in tables]
            prose = page.filter(lambda obj, boxes=boxes: not any(_inside(obj, box) for box in boxes)) if boxes else page
            lines += _full_lines(prose.extract_text_lines())
            for table in tables:  # tables as our HTML extraction writes them: a row per line, cells " | "
                g = grid.pdf_table_grid(table)
                out.grids.append(g)
                lines += [(" | ".join(_unique(row)), False) for row in g if any(row)]
            page.close()  # pdfplumber keeps every page's objects until the file is closed otherwise
    out.text = unwrap(lines)
    if skipped:
        raise TooComplex("past the reading limits, not read: " + "; ".join(skipped))
    if not out.text and out.pages:
        out.status = "no_text_layer"
        out.message = f"{out.pages} page(s) without a text layer (a scan): the text needs OCR"


class _OverBudget(Exception):
    def __init__(self, message: str, chars: int):
        super().__init__(message)
        self.chars = chars


@dataclass
class _Drawn:
    chars: int
    rules: int  # lines, rectangles and curves: what tables are found from


def _lay_out(page, limit: int) -> _Drawn:
    """Interpret one PDF page, as pdfplumber would on first use, but stop past ``limit`` objects drawn
    (the interpreter is where a dense page spends its minutes and gigabytes). The result goes into
    the cache pdfplumber fills itself (``_layout``, one of its ``cached_properties``, which
    ``page.close()`` flushes); pdfplumber is pinned below 0.12, and the hostile-file tests fail
    if a new version stops reading it."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Counting(PDFPageAggregatorWithMarkedContent):
        chars = rules = images = 0

        def _one_more(self) -> None:
            if self.chars + self.rules + self.images >= limit:
                raise _OverBudget(
                    f"more than {limit:,} characters and drawn objects ({self.chars:,} characters)", self.chars
                )

        def render_char(self, *args, **kwargs):
            self._one_more()
            self.chars += 1
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            self._one_more()
            self.rules += 1
            return super().paint_path(*args, **kwargs)

        def render_image(self, *args, **kwargs):
            self._one_more()
            self.images += 1
            return super().render_image(*args, **kwargs)

    device = Counting(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()
    return _Drawn(device.chars, device.rules)


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


def check_zip(data: bytes) -> None:
    """Refuse (``TooComplex``) an OOXML file whose parts would unpack past the limits, or whose XML
    declares a DTD, before any of it is parsed.

    OOXML parts never declare a DTD: one that does is after entity expansion. python-docx's lxml
    parser resolves no entities and keeps libxml2's limits (no huge_tree: depth 256, 10 MB text
    nodes; past them the file is too_complex); openpyxl parses through defusedxml only when that is
    installed. This refuses it for both, whatever is installed. Each XML part's first 4 KB are
    enough to see: a DOCTYPE comes before the root element."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TooComplex(f"{len(entries):,} parts in the archive, over {MAX_ZIP_ENTRIES:,}")
    unzipped = sum(e.file_size for e in entries)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TooComplex(f"unpacks to {unzipped:,} bytes, over {MAX_UNZIPPED_BYTES:,}")
    xml = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
    xml_bytes = sum(e.file_size for e in xml)
    if xml_bytes > MAX_XML_BYTES:
        raise TooComplex(f"{xml_bytes:,} bytes of XML unpacked, over {MAX_XML_BYTES:,}")
    for entry in xml:
        with archive.open(entry) as part:
            if re.search(rb"<!DOCTYPE|<!ENTITY", part.read(4096), re.I):
                raise TooComplex(f"{entry.filename} declares a DTD (entities), which OOXML never does")


def _read_docx(data: bytes, out: Converted) -> None:
    import docx  # python-docx (MIT)
    from docx.table import Table

    check_zip(data)
    document = docx.Document(io.BytesIO(data))
    lines, too_big = [], []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            try:
                g = grid.docx_table_grid(block)
            except grid.TooManyCells as e:
                too_big.append(str(e))
                lines.extend(" | ".join(_unique(row)) for row in grid.docx_table_rows(block))
                continue
            out.grids.append(g)
            lines.extend(" | ".join(_unique(row)) for row in g if any(row))
        elif block.text.strip():
            lines.append(block.text.strip())
    out.text = "\n".join(lines)
    if too_big:
        raise TooComplex(f"{', '.join(too_big)}: read as text, not as a table")


def _unique(row: list[str]) -> list[str]:
    """A table row as our HTML extraction writes it: a merged cell once, not once per column it spans."""
    cells: list[str] = []
    for cell in row:
        if not cells or cell != cells[-1]:
            cells.append(cell)
    return cells


def _read_xlsx(data: bytes, out: Converted) -> None:
    check_zip(data)
    _read_sheets(grid.xlsx_grids(data), out)


def _read_xls(data: bytes, out: Converted) -> None:
    _read_sheets(grid.xls_grids(data), out)


def _read_sheets(sheets: list, out: Converted) -> None:
    """Sheets as grids; a sheet over the table limit (``grid.TooManyCells`` in its place) is named."""
    out.grids = [g for g in sheets if not isinstance(g, grid.TooManyCells)]
    out.text = "\n".join(" | ".join(_unique(row)) for g in out.grids for row in g if any(row))
    too_big = [f"sheet {n}: {g}" for n, g in enumerate(sheets, 1) if isinstance(g, grid.TooManyCells)]
    if too_big:
        raise TooComplex("not read: " + "; ".join(too_big))


def _read_doc(data: bytes, out: Converted) -> None:
    tool = shutil.which("antiword")
    if tool is None:
        out.status, out.message = "unsupported", "antiword is not installed (apt-get install antiword)"
        return
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        try:
            done = subprocess.run([tool, "-m", "UTF-8.txt", "-w", "0", f.name], capture_output=True, timeout=60)
        except subprocess.TimeoutExpired as e:
            raise TooComplex("antiword took longer than 60 s") from e
    if done.returncode != 0:
        raise ValueError(done.stderr.decode("utf-8", "replace").strip() or f"antiword exited {done.returncode}")
    out.text = done.stdout.decode("utf-8", "replace").strip()


_READERS = {PDF: _read_pdf, DOCX: _read_docx, XLSX: _read_xlsx, XLS: _read_xls, DOC: _read_doc}
