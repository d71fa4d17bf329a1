"""Build one day of the sample web from the catalog (or the scale mode), deterministically.

``build_world(seed, day, scale)`` only decides *what* exists: documents, dates, postings and
their URLs. Page bodies are rendered on demand by ``site.SampleWeb``, so the 1,000-site scale
mode costs seconds, not the time of rendering every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from . import catalog, tables
from .catalog import Day2Plan, SitePlan
from .model import Body, Document, Posting, SiteSpec, World, stable_rng
from .regions import SCALE_REGIONS
from .styles import STYLES

# The sample web's "today" on each day: day 1 is after every 2024 report was due.
DAY_DATES = {1: dt.datetime(2025, 4, 1, 8, 0), 2: dt.datetime(2025, 4, 2, 8, 0)}
FIRST_YEAR, LAST_YEAR = 2008, 2024

_SIZES = {"province": 5, "prefecture": 4, "county": 2, "department": 1, "township": 1}


def build_world(seed: int = 1, day: int = 1, scale: tuple[int, int] | None = None) -> World:
    """The sample web on ``day`` (1 or 2); ``scale=(sites, reports_per_site)`` for benchmarks."""
    if day not in DAY_DATES:
        raise ValueError(f"the samples have days {sorted(DAY_DATES)}, not {day}")
    plans = scale_plans(*scale) if scale else catalog.SITES
    day2 = scale_day2(plans) if scale else catalog.DAY2
    world = World(seed=seed, day=day, sites=[], documents={})
    posting_plans: dict[str, list[tuple[Document, str]]] = {}
    for plan in plans:
        site = SiteSpec(plan.site_id, plan.host, plan.name, plan.body, plan.platform, plan.column, **plan.options)
        world.sites.append(site)
        variants = dict(plan.variants)
        docs = [_report(world, seed, plan.body, year, variant=variants.get(year)) for year in plan.reports]
        docs += [_report(world, seed, body, year) for body, year in plan.extra_reports]
        docs += [_other(world, seed, plan, kind, year) for kind, year in plan.others]
        posting_plans[plan.site_id] = [(doc, "own") for doc in docs]
        posting_plans[plan.site_id] += [(world.documents[d], "dup") for d in plan.duplicate]
        for _ in range(plan.dead_links):
            # A report the list still links to although its page was removed long ago.
            year = next(y for y in range(FIRST_YEAR + 2, LAST_YEAR) if y not in plan.reports)
            dead = _report(world, seed, plan.body, year, register=False)
            posting_plans[plan.site_id].append((dead, "dead"))
    for plan in plans:
        posting_plans[plan.site_id] += [(world.documents[d], "republish") for d in plan.republish]
    gone: list[tuple[str, str]] = []
    if day >= 2 and day2:
        _apply_day2(world, seed, day2, posting_plans, gone)
    sites = {s.site_id: s for s in world.sites}
    for site_id, entries in posting_plans.items():
        site = sites[site_id]
        postings = [_posting(seed, site, doc, how) for doc, how in entries]
        for p in postings:
            p.path = STYLES[site.platform].article_path(site, p)
        postings.sort(key=lambda p: (p.posted, p.number), reverse=True)
        keep = [p for p in postings if (site_id, p.doc.doc_id) not in gone]
        world.gone += [p for p in postings if (site_id, p.doc.doc_id) in gone]
        world.postings[site_id] = keep
    _check_unique_urls(world)
    return world


def _apply_day2(world: World, seed: int, plan: Day2Plan, posting_plans, gone) -> None:
    today = DAY_DATES[2]
    edited = world.documents[plan.edit]
    edited.version = 2
    edited.modified = today
    deleted = world.documents[plan.delete]
    gone.append((_home_site(posting_plans, deleted), deleted.doc_id))
    site_id, year, body = plan.new
    body = body or next(s.body for s in world.sites if s.site_id == site_id)
    new = _report(world, seed, body, year)
    new.published = today.replace(hour=9, minute=30)
    posting_plans[site_id].insert(0, (new, "own"))
    doc_id, target = plan.republish
    posting_plans[target].append((world.documents[doc_id], "republish-day2"))


def _home_site(posting_plans, doc: Document) -> str:
    return next(site for site, entries in posting_plans.items() if any(d is doc and how == "own" for d, how in entries))


def _report(
    world: World, seed: int, body: Body, year: int, register: bool = True, variant: str | None = None
) -> Document:
    rng = stable_rng(seed, body.key, year, "report")
    if body.level == "department" and year >= 2019:
        published = dt.datetime(year + 1, 1, rng.randint(6, 30))
    elif year >= 2019:
        published = dt.datetime(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    else:
        published = dt.datetime(year + 1, rng.choice((1, 2, 3, 3, 4)), rng.randint(1, 28))
    published = published.replace(hour=rng.randint(8, 18), minute=rng.randint(0, 59))
    doc = Document(
        doc_id=f"{body.key}-{year}",
        body=body,
        kind="report",
        year=year,
        published=published,
        seed=seed,
        title_variant=rng.randint(0, 5),
        size=_SIZES.get(body.level, 1),
        full_width=rng.random() < 0.25,
    )
    previous = world.documents.get(f"{body.key}-{year - 1}")
    if previous is not None and previous.cells and doc.template != "free":
        doc.carried_in = tables.carried_out(previous.cells)
    if variant in ("docx", "pdf", "scan"):
        doc.delivery = variant
    elif variant == "error-received":
        doc.planted = "received_equals_handled"
    elif variant == "error-carried":
        doc.planted = "carried_over"  # one more request carried in than last year's report carried out
        doc.carried_in = dict(doc.carried_in or {c: 0 for c in tables.APPLICANTS})
        doc.carried_in["自然人"] += 1
    elif variant is not None:
        raise ValueError(f"unknown sample report variant {variant!r}")
    if register:
        world.documents[doc.doc_id] = doc
    return doc


# When each look-alike kind is published relative to the year it is about: (month range, year offset).
_OTHER_DATES = {
    "工作要点": ((3, 5), 0),
    "落实情况的函": ((11, 12), 0),
    "工作总结": ((12, 12), 0),
    "考核通报": ((7, 9), 0),
    "统计公报": ((3, 4), 1),
    "政府工作报告": ((1, 2), 0),
    "信息公开指南": ((1, 12), 0),
}
_SLUGS = {
    "工作要点": "gzyd",
    "落实情况的函": "lsqk",
    "工作总结": "gzzj",
    "考核通报": "khtb",
    "统计公报": "tjgb",
    "政府工作报告": "zfgzbg",
    "信息公开指南": "gkzn",
}


def _other(world: World, seed: int, plan: SitePlan, kind: str, year: int) -> Document:
    rng = stable_rng(seed, plan.site_id, kind, year, "other")
    (first, last), offset = _OTHER_DATES[kind]
    published = dt.datetime(
        year + offset, rng.randint(first, last), rng.randint(1, 28), rng.randint(8, 18), rng.randint(0, 59)
    )
    doc = Document(
        doc_id=f"{plan.site_id}-{_SLUGS[kind]}-{year}",
        body=plan.body,
        kind="other",
        year=year,
        published=published,
        seed=seed,
        other_kind=kind,
    )
    world.documents[doc.doc_id] = doc
    return doc


def _posting(seed: int, site: SiteSpec, doc: Document, how: str) -> Posting:
    rng = stable_rng(seed, site.site_id, doc.doc_id, how)
    number = int(hashlib.sha256(f"{site.site_id}|{doc.doc_id}|{how}".encode()).hexdigest()[:8], 16) % 900000 + 100000
    posted = doc.published
    if how.startswith("republish"):
        posted = doc.published + dt.timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 5))
        if how == "republish-day2":
            posted = DAY_DATES[2].replace(hour=10)
    elif how == "dup":
        posted = doc.published + dt.timedelta(days=1)
    if how.startswith("republish"):
        source = doc.body.office  # the republishing site credits the reporting body's office
    elif site.uploader and doc.body == site.body and rng.random() < 0.6:
        source = site.uploader
    else:
        source = rng.choice((doc.body.office, doc.body.agency))
    return Posting(site=site, doc=doc, number=number, posted=posted, source=source, dead=how == "dead")


def _check_unique_urls(world: World) -> None:
    seen: dict[str, Posting] = {}
    for postings in world.postings.values():
        for p in postings:
            if p.url in seen:
                raise AssertionError(f"two sample postings share {p.url}")
            seen[p.url] = p


# ---------------------------------------------------------------------------------------------
# The scale mode


def scale_plans(n_sites: int, reports_per_site: int) -> tuple[SitePlan, ...]:
    """N generated sites x M reports each, cycling platforms and real county-level regions.

    A county's site carries its government's reports and those of its departments, as real
    county sites do, so M may exceed the 17 report years 2008–2024.
    """
    if n_sites < 1 or reports_per_site < 1:
        raise ValueError("scale needs at least 1 site and 1 report per site")
    platforms = tuple(sorted(STYLES))
    years = list(range(LAST_YEAR, FIRST_YEAR - 1, -1))
    plans = []
    for i in range(n_sites):
        region = SCALE_REGIONS[i % len(SCALE_REGIONS)]
        key = f"s{i + 1:04d}"
        body = catalog.gov(key, region)
        bodies = [body] + [
            catalog.department(f"{key}-d{j + 1:02d}", region, name) for j, name in enumerate(catalog.SCALE_DEPARTMENTS)
        ]
        if reports_per_site > len(bodies) * len(years):
            raise ValueError(f"at most {len(bodies) * len(years)} reports per scale site")
        own = tuple(years[j] for j in range(min(reports_per_site, len(years))))
        extra = tuple(
            (bodies[1 + (j - len(years)) // len(years)], years[j % len(years)])
            for j in range(len(years), reports_per_site)
        )
        kinds = tuple(sorted(_SLUGS))
        others = tuple(
            (kinds[j % len(kinds)], LAST_YEAR - j // len(kinds)) for j in range(max(1, reports_per_site // 10))
        )
        platform = platforms[i % len(platforms)]
        column = str(10000 + i) if platform in ("hanweb", "gkmlpt") else "/zwgk/ndbg/"
        plans.append(
            SitePlan(
                key,
                f"{key}.scale.gov.test",
                f"{region.name}人民政府（示例{key}）",
                body,
                platform,
                column,
                own,
                others,
                extra_reports=extra,
                options={"page_size": 15, "site_code": f"9{i:09d}"},
            )
        )
    return tuple(plans)


def scale_day2(plans: tuple[SitePlan, ...]) -> Day2Plan | None:
    """The same four day-2 changes as the default web, on the first two sites of the scale mode."""
    if len(plans) < 2:
        return None
    first, second = plans[0], plans[1]
    newcomer = catalog.department(f"{second.body.key}-dnew", second.body.region, "政务服务数据管理局")
    return Day2Plan(
        edit=f"{first.body.key}-{first.reports[0]}",
        delete=f"{second.body.key}-{second.reports[0]}",
        new=(second.site_id, LAST_YEAR, newcomer),
        republish=(f"{first.body.key}-{first.reports[-1]}", second.site_id),
    )
