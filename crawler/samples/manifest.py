"""The truth about the sample web: one row per URL, and the registry of its sites.

Tests take their expected counts and values from here, never from constants, so adding a
sample never breaks a test. Page rows carry ``kind``: report | other (a look-alike) | list
| api (a JSON/XML list endpoint) | home | section (the 政府信息公开 page linking the report
column, named in ``column``) | robots | redirect | missing (a dead link) | gone
(deleted on this day); report and other rows carry the document's truth.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from . import pages
from .model import Posting, SiteSpec, World
from .styles import STYLES

REGISTRY_COLUMNS = ("site_id", "name", "adcode", "level", "platform", "start_urls")


def start_url(site: SiteSpec) -> str:
    return site.base + STYLES[site.platform].column_path(site)


def site_rows(world: World) -> list[dict]:
    rows = []
    for site in world.sites:
        body = site.body
        rows.append(
            {
                "site_id": site.site_id,
                "name": site.name,
                "adcode": body.region.adcode,
                "level": body.level,
                "platform": site.platform,
                "start_urls": start_url(site),
                "host": site.host,
                "agency": body.agency,
                "encoding": site.encoding,
                "header_charset": site.header_charset,
                "meta_charset": site.meta_charset,
                "moved_from": site.base + site.moved_from if site.moved_from else None,
            }
        )
    return rows


def registry_csv(world: World, moved: bool = True) -> str:
    """The sites in the registry format (``site_id,name,adcode,level,platform,start_urls``).

    With ``moved`` a site whose column moved is listed under its old URL, as a registry
    written before the move would be, so crawlers meet the 301.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    for row in site_rows(world):
        url = row["moved_from"] if moved and row["moved_from"] else row["start_urls"]
        writer.writerow([row["site_id"], row["name"], row["adcode"], row["level"], row["platform"], url])
    return out.getvalue()


def _document_row(p: Posting, kind: str, status: int) -> dict:
    doc, body = p.doc, p.doc.body
    region = body.region
    is_report = doc.is_report and kind not in ("missing", "gone")
    return {
        "url": p.url,
        "site_id": p.site.site_id,
        "kind": kind,
        "status": status,
        "report_id": doc.doc_id,
        "version": doc.version,
        "is_report": is_report and kind == "report",
        "title": doc.title,
        "agency": body.agency,
        "source": p.source,
        "province": region.province,
        "city": region.city,
        "county": region.county,
        "adcode": region.adcode,
        "level": body.level,
        "report_year": doc.year if doc.is_report else None,
        "published": f"{p.posted:%Y-%m-%d}",
        "other_kind": doc.other_kind,
        "template": doc.template if doc.is_report else None,
        "stats": ({"template": doc.template, "cells": [c.as_dict() for c in doc.cells]} if doc.cells else None),
        "encoding": p.site.encoding,
        "delivery": doc.delivery,  # html, or the report is only in its attached docx | pdf | scan (no text layer)
        "attachment_url": p.site.base + p.attachment_path if p.attachment_path else None,
        "stats_source": "attachment" if doc.delivery != "html" else "page",
        "planted_errors": doc.planted_failures,  # checks its numbers are made to fail
    }


def page_rows(world: World) -> list[dict]:
    """Every URL of the sample web on this day, with what it is and its truth."""
    rows: list[dict] = []
    for site in world.sites:
        style = STYLES[site.platform]
        postings = world.postings[site.site_id]
        rows.append({"url": site.base + "/robots.txt", "site_id": site.site_id, "kind": "robots", "status": 200})
        rows.append({"url": site.base + "/", "site_id": site.site_id, "kind": "home", "status": 200})
        rows.append(
            {
                "url": site.base + pages.SECTION_PATH,
                "site_id": site.site_id,
                "kind": "section",
                "status": 200,
                "column": start_url(site),
            }
        )
        if site.moved_from:
            rows.append(
                {
                    "url": site.base + site.moved_from,
                    "site_id": site.site_id,
                    "kind": "redirect",
                    "status": 301,
                    "location": start_url(site),
                }
            )
        for kind, path in style.listing_urls(site, postings):
            rows.append({"url": site.base + path, "site_id": site.site_id, "kind": kind, "status": 200})
        for p in postings:
            if p.dead:
                rows.append(_document_row(p, "missing", 404))
            else:
                rows.append(_document_row(p, "report" if p.doc.is_report else "other", 200))
                if p.attachment_path:
                    rows.append(
                        {
                            "url": site.base + p.attachment_path,
                            "site_id": site.site_id,
                            "kind": "attachment",
                            "status": 200,
                            "report_url": p.url,
                            "delivery": p.doc.delivery,
                        }
                    )
    for p in world.gone:
        rows.append(_document_row(p, "gone", 404))
    return rows


def manifest(world: World) -> dict:
    return {"seed": world.seed, "day": world.day, "sites": site_rows(world), "pages": page_rows(world)}


def write_jsonl(world: World, path: Path) -> int:
    """Write one JSON object per page (the sites go to ``sites.jsonl`` beside it); returns the page count."""
    rows = page_rows(world)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(path.with_name("sites.jsonl"), "w", encoding="utf-8") as f:
        for row in site_rows(world):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)
