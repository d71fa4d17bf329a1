"""Title, agency, source, region, report year and publication date of a report page.

Each is read from the page's own statements in order of trust: the CMS's ``<meta>`` tags,
then the heading, then the labelled line under it (发布时间/来源), then what the list said.
The *agency* is the body whose report it is (the title's subject, else the signature); the
page's 来源/发布机构 is kept apart as *source*, since it often names the office that uploaded it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from . import dates, regions
from .extract import Extracted

_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜| - | — |--)\s*")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日.{0,6}?至.{0,3}?((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)
_LABELLED_DATE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|生成日期|时间|日期)\s*[:：]\s*\|?\s*([^\n|]{6,30})"
)
_SOURCE = re.compile(
    r"(?:来源|发布机构|信息来源|发布单位)\s*[:：]\s*\|?\s*([^\s|:：]{2,40}?)"
    r"(?=浏览|点击|字号|发布时间|发文日期|作者|日期|时间|阅读|\s|\||$)"
)
_ZONE = re.compile(r"(综合实验区|新区|开发区|高新区|园区|试验区)$")
_PLACE_SUFFIX = re.compile(r"(省|市|县|区|旗|州|盟|镇|乡|街道|自治区|地区|新区|实验区)$")
_BODY_SUFFIX = re.compile(
    r"(人民政府|政府|委员会|管委会|管理委员会|办公室|办事处|局|委|厅|署|中心|院|所|会|站|队|处|部)$"
)
_META_DATES = ("pubdate", "publishdate", "firstpublishedtime", "dc.date", "article:published_time", "dcterms.issued")


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    source: str | None
    report_year: int | None
    published_date: dt.date | None
    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    level: str | None
    site_name: str | None


def clean_title(ex: Extracted, list_title: str | None = None) -> str | None:
    """The document's title without the site or column suffix of ``<title>``."""
    for candidate in (
        ex.meta.get("articletitle"),
        ex.heading,
        list_title if list_title and "…" not in list_title and "..." not in list_title else None,
    ):
        if candidate and len(candidate) >= 4:
            return candidate
    if ex.html_title:
        parts = [p for p in _TITLE_SPLIT.split(ex.html_title) if p]
        return parts[0] if parts else None
    return None


def report_year(title: str | None, text: str) -> int | None:
    """The year the report covers: the title's year, else the 1月1日至12月31日 period of its text."""
    if title:
        m = _YEAR_IN_TITLE.search(unicodedata.normalize("NFKC", title))
        if m:
            return int(m.group(1))
        m = re.search(r"(?:19|20)\d{2}", title)
        if m:
            return int(m.group(0))
    m = _PERIOD.search(text[:4000])
    if m and m.group(1) == m.group(2):
        return int(m.group(1))
    return None


def published_date(ex: Extracted, list_date: str | None = None) -> dt.date | None:
    """The page's own publication date: meta PubDate, the labelled line under the title, the list."""
    for name in _META_DATES:
        d = dates.parse_date(ex.meta.get(name))
        if d:
            return d
    for m in _LABELLED_DATE.finditer(ex.header_text):
        d = dates.parse_date(m.group(1))
        if d:
            return d
    return dates.parse_date(list_date)


def source(ex: Extracted) -> str | None:
    value = ex.meta.get("contentsource")
    if value:
        return value
    m = _SOURCE.search(ex.header_text)
    return m.group(1) if m else None


def agency_from_title(title: str | None) -> str | None:
    """The subject of a report title: 宜春市人民政府2019年… → 宜春市人民政府; 袁州区2019年… → 袁州区人民政府."""
    if not title:
        return None
    t = unicodedata.normalize("NFKC", title).replace(" ", "")
    m = _YEAR_IN_TITLE.search(t)
    if not m:
        return None
    subject = t[: m.start()]
    if not subject:  # 2019年宜春市人民政府政府信息公开工作年度报告
        rest = re.split(r"政府信息公开|政务公开|信息公开", t[m.end() :].lstrip("度"), maxsplit=1)[0]
        subject = rest
    subject = re.sub(r"^关于", "", subject).rstrip("的")
    if not subject:
        return None
    if _BODY_SUFFIX.search(subject):
        return subject
    if subject.endswith("街道"):
        return subject + "办事处"
    if _ZONE.search(subject):  # zones are run by a 管理委员会, not a people's government
        return subject + "管委会"
    if _PLACE_SUFFIX.search(subject):
        return subject + "人民政府"
    return subject


def agency_from_signature(text: str) -> str | None:
    """The signing body on the last lines of a report (before its date)."""
    lines = [x.strip() for x in text.strip().splitlines()[-6:] if x.strip()]
    for line in reversed(lines):
        if len(line) <= 30 and _BODY_SUFFIX.search(line) and not re.search(r"[，。；：]", line):
            return re.sub(r"办公室$", "", line) if line.endswith("人民政府办公室") else line
    return None


def level_of(agency: str | None, division: regions.Division | None) -> str | None:
    if not agency:
        return division.level if division else None
    if (
        re.search(r"(镇|乡|街道|苏木)(人民政府|办事处)?$", agency)
        and "人民政府" in agency
        or agency.endswith("街道办事处")
    ):
        return "township"
    if agency.endswith(("人民政府", "管委会", "管理委员会")):
        return division.level if division else None
    return "department"


def metadata(
    ex: Extracted,
    text: str,
    list_title: str | None = None,
    list_date: str | None = None,
    site_adcode: str | None = None,
    site_agency: str | None = None,
) -> Metadata:
    title = clean_title(ex, list_title)
    agency = agency_from_title(title) or agency_from_signature(text) or site_agency
    division = (
        regions.resolve(agency or "", site_adcode)
        or regions.resolve(title or "", site_adcode)
        or regions.lookup(site_adcode)
    )
    return Metadata(
        title=title,
        agency=agency,
        source=source(ex),
        report_year=report_year(title, text),
        published_date=published_date(ex, list_date),
        province=division.province if division else None,
        city=division.city if division else None,
        county=division.county if division else None,
        adcode=division.adcode if division else None,
        level=level_of(agency, division),
        site_name=ex.meta.get("sitename"),
    )
