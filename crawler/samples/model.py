"""What the sample world is made of: reporting bodies, documents, sites and postings.

A *document* is one text (an annual report or a look-alike) written by one *body* (a
government or department). A *posting* is that document published at one URL of one *site*;
the same document posted at several URLs or sites is one report with several sightings. Sites
are data (their platform names the code that lays out their pages, see ``styles``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field, replace
from functools import cached_property

from . import tables, texts
from .regions import Region


def stable_rng(*parts: object) -> random.Random:
    """A generator seeded by the parts' text, so each piece is the same whatever order it is built in."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def template_for(year: int) -> str:
    """The report template in force for a report year (2019 template from the 2019 reports on)."""
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "free"


@dataclass(frozen=True)
class Body:
    """A body that publishes reports: a people's government or a department."""

    key: str
    agency: str  # 宜春市人民政府, 咸宁市生态环境局
    place: str  # short name used in prose and titles: 宜春市
    office: str  # the office that drafts and signs: 宜春市人民政府办公室
    level: str  # prefecture | county | township | department | province
    region: Region


@dataclass
class Document:
    """One text by one body: an annual report or a page that only looks like one."""

    doc_id: str
    body: Body
    kind: str  # "report" | "other"
    year: int  # report: the year covered; other: the year it is about
    published: dt.datetime
    seed: int
    title_variant: int = 0
    other_kind: str | None = None
    version: int = 1
    size: int = 1  # scales the numbers of the tables
    full_width: bool = False  # table labels printed with full-width digits
    carried_in: dict[str, int] | None = None
    modified: dt.datetime | None = None  # when the current version was last changed
    delivery: str = "html"  # html | docx | pdf | scan: how the text is published (scan: a PDF with no text layer)
    planted: str | None = None  # a check its numbers are made to fail: received_equals_handled | carried_over

    @property
    def is_report(self) -> bool:
        return self.kind == "report"

    @property
    def template(self) -> str:
        return template_for(self.year) if self.is_report else "free"

    @cached_property
    def cells(self) -> list[tables.Cell]:
        if self.template == "free":
            return []
        rng = stable_rng(self.seed, self.doc_id, "cells")
        cells = tables.generate_cells(rng, self.template, self.size, self.full_width, self.carried_in)
        if self.planted == "received_equals_handled":
            # Two requests received that the results never account for (自然人 and its 总计).
            cells = [
                replace(c, value=c.value + 2)
                if c.table == "三" and c.row == tables.RECEIVED and c.column in ("自然人", "总计")
                else c
                for c in cells
            ]
        return cells

    @property
    def planted_failures(self) -> list[dict]:
        """The (check, column) pairs ``pipelines.checks`` must report for this document."""
        if self.planted is None:
            return []
        return [{"check": self.planted, "column": column} for column in ("自然人", "总计")]

    def context(self) -> texts.DocContext:
        region = self.body.region
        return texts.DocContext(
            agency=self.body.agency,
            place=self.body.place,
            level=self.body.level,
            office=self.body.office,
            report_year=self.year,
            published=self.published.date(),
            template=self.template,
            stats=tables.summary(self.cells) if self.cells else {},
            city=region.city if region.city != self.body.place else None,
            province=region.province,
        )

    @cached_property
    def title(self) -> str:
        if self.is_report:
            return texts.report_title(self.context(), self.title_variant)
        return texts.other_title(self.other_kind, self.context())

    @cached_property
    def blocks(self) -> list[texts.Block]:
        rng = stable_rng(self.seed, self.doc_id, "text")
        ctx = self.context()
        blocks = texts.report_blocks(rng, ctx) if self.is_report else texts.other_blocks(rng, self.other_kind, ctx)
        for version in range(2, self.version + 1):
            blocks = texts.edit_blocks(stable_rng(self.seed, self.doc_id, "edit", version), blocks)
        return blocks


@dataclass(frozen=True)
class SiteSpec:
    """One sample website: who runs it, on which platform, where its report column is."""

    site_id: str
    host: str
    name: str  # the site's name as its pages show it, marked 示例
    body: Body  # the government or department that runs the site
    platform: str  # a style of ``styles``: trs | hanweb | jsapi | generic | gkmlpt | ucap
    column: str  # path of the report column ("/zwgk/zfxxgknb/"), or the Hanweb column id
    column_name: str = "政府信息公开年报"
    encoding: str = "utf-8"
    header_charset: str | None = "UTF-8"  # None: the Content-Type header names no charset
    meta_charset: str | None = "utf-8"  # what the page's <meta charset> claims (may be wrong)
    page_size: int = 5
    ext: str = "html"
    moved_from: str | None = None  # an old column path that now answers 301 to ``column``
    uploader: str | None = None  # a 来源 that names the uploading office, not the reporting body
    icp: str = "示ICP备00000000号"
    site_code: str = "0000000000"

    @property
    def base(self) -> str:
        return f"http://{self.host}"


@dataclass
class Posting:
    """A document at one URL of one site (a sighting)."""

    site: SiteSpec
    doc: Document
    number: int  # the article number in its URL
    posted: dt.datetime  # the date the page and the list show
    source: str  # what the page's 来源/发布机构 says
    path: str = ""  # filled by the site's style
    dead: bool = False  # listed, but the URL answers 404 (a dead link)

    @property
    def url(self) -> str:
        return self.site.base + self.path

    @property
    def attachment_path(self) -> str | None:
        """Where the attached file of a report published as a file lives (TRS-style P0… names)."""
        if self.doc.delivery == "html":
            return None
        ext = "docx" if self.doc.delivery == "docx" else "pdf"
        return f"{self.path.rsplit('/', 1)[0]}/P0{self.doc.year}{self.number:06d}.{ext}"


@dataclass
class World:
    """Every site, document and posting of one day of the sample web."""

    seed: int
    day: int
    sites: list[SiteSpec]
    documents: dict[str, Document]
    postings: dict[str, list[Posting]] = field(default_factory=dict)  # site_id -> newest first
    gone: list[Posting] = field(default_factory=list)  # postings deleted on this day (404)


@dataclass(frozen=True)
class Resource:
    """What one URL of the sample web answers, before HTTP details (encoding, gzip, 304)."""

    status: int
    text: str = ""
    media_type: str = "text/html"  # text/html | application/json | text/xml | text/plain
    last_modified: dt.datetime | None = None
    location: str | None = None  # for redirects
    data: bytes | None = None  # a file's bytes (attachments), sent as they are
