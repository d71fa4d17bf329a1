"""The archive's tables: a public interface, described column by column in ``datasette-metadata.json``.

Identity: a *report* is one document (one normalised text, by ``content_hash``); the same text
at several URLs or sites is one report with several *sightings*; a changed text at a known
URL replaces the report's current text (``report_versions`` joins with the nightly-archive
issue). Every fetched article is a row of ``pages``, report or not, with the reason.
"""

from __future__ import annotations

import sqlite_utils

TABLES = {
    "sites": (
        {
            "site_id": str,
            "name": str,
            "adcode": str,
            "level": str,
            "platform": str,
            "detected_platform": str,
            "start_urls": str,
            "robots_override": str,
            "website": str,
            "report_column": str,  # found by the crawl's discovery when the registry names no start URL
            "discovered_via": str,
            "discovered_at": str,
            "discovery_status": str,  # found | not_found
        },
        "site_id",
    ),
    "reports": (
        {
            "id": int,
            "title": str,
            "agency": str,
            "source": str,
            "province": str,
            "city": str,
            "county": str,
            "adcode": str,
            "level": str,
            "report_year": int,
            "published_date": str,
            "url": str,
            "site_id": str,
            "text": str,
            "content_hash": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "sightings": int,
            "versions": int,
            "gone_at": str,
            "warc_file": str,
            "warc_offset": int,
            "stats_template": str,
            "stats_source": str,
            "stats_cells": int,
            "stats_problems": str,
        },
        "id",
    ),
    # Files linked from report pages; the bytes are kept once per sha256 under files/ beside the archive.
    "attachments": (
        {
            "id": int,
            "report_id": int,
            "page_url": str,
            "url": str,
            "file_name": str,
            "media_type": str,
            "size": int,
            "sha256": str,
            "status": str,
            "message": str,
            "pages": int,
            "text": str,
            "fetched_at": str,
            "etag": str,
            "last_modified": str,
        },
        "id",
    ),
    # Every number of the standard tables, one row per cell.
    "report_stats": (
        {
            "id": int,
            "report_id": int,
            "template": str,
            "table": str,
            "row": str,
            "column": str,
            "value": int,
            "unit": str,
            "label": str,
            "source": str,
        },
        "id",
    ),  # int affinity: 58 stays 58, 5949.09 stays real
    # Identities the numbers fail, with the numbers involved.
    "stats_checks": (
        {
            "id": int,
            "report_id": int,
            "check": str,
            "table": str,
            "row": str,
            "column": str,
            "expected": int,
            "actual": int,
            "numbers": str,
            "message": str,
            "other_report_id": int,
        },
        "id",
    ),
    "report_versions": (
        {
            "id": int,
            "report_id": int,
            "version": int,
            "fetched_at": str,
            "url": str,
            "content_hash": str,
            "title": str,
            "text": str,
            "warc_file": str,
            "warc_offset": int,
        },
        "id",
    ),
    "sightings": (
        {
            "id": int,
            "report_id": int,
            "url": str,
            "site_id": str,
            "list_url": str,
            "list_title": str,
            "published_date": str,
            "source": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "gone_at": str,
        },
        "id",
    ),
    "pages": (
        {
            "url": str,
            "site_id": str,
            "is_report": int,
            "reject_reason": str,
            "reason": str,
            "title": str,
            "report_id": int,
            "content_hash": str,
            "status": int,
            "encoding": str,
            "encoding_problem": str,
            "fetched_at": str,
            "first_fetched_at": str,
            "etag": str,
            "last_modified": str,
            "gone_at": str,
            "unlisted_runs": int,
            "warc_file": str,
            "warc_offset": int,
        },
        "url",
    ),
    "crawl_runs": (
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "sites": int,
            "requests": int,
            "pages": int,
            "reports_new": int,
            "reports_changed": int,
            "reports_unchanged": int,
            "sightings_new": int,
            "rejected": int,
            "errors": int,
            "gone": int,
        },
        "id",
    ),
    "crawl_errors": (
        {"id": int, "run_id": int, "site_id": str, "url": str, "kind": str, "message": str, "at": str},
        "id",
    ),
    "crawl_run_sites": (
        {
            "id": int,
            "run_id": int,
            "site_id": str,
            "requests": int,
            "bytes": int,
            "pages": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "sightings_new": int,
            "rejected": int,
            "errors": int,
            "gone": int,
            "started_at": str,
            "finished_at": str,
            "duration_s": float,
        },
        "id",
    ),
}
FOREIGN_KEYS = {
    "reports": [("site_id", "sites", "site_id")],
    "sightings": [("report_id", "reports", "id"), ("site_id", "sites", "site_id")],
    "pages": [("site_id", "sites", "site_id"), ("report_id", "reports", "id")],
    "crawl_errors": [("run_id", "crawl_runs", "id")],
    "report_versions": [("report_id", "reports", "id")],
    "crawl_run_sites": [("run_id", "crawl_runs", "id")],
    "attachments": [("report_id", "reports", "id")],
    "report_stats": [("report_id", "reports", "id")],
    "stats_checks": [("report_id", "reports", "id")],
}
INDEXES = {
    "reports": [["content_hash"], ["adcode"], ["report_year"], ["province"], ["city"], ["level"], ["site_id"]],
    "sightings": [["url"], ["report_id"]],
    "pages": [["site_id"], ["report_id"]],
    "crawl_errors": [["run_id"], ["site_id"]],
    "attachments": [["report_id"], ["sha256"]],
    "report_stats": [["report_id"], ["table", "row", "column"]],
    "stats_checks": [["report_id"], ["other_report_id"]],
}
VIEWS = {
    # For each reporting body the archive knows and each year since 2008: was a report found?
    # Publishing is a legal obligation, so a "missing" row is a question for the body. A site of
    # the registry with no report at all is a body too: "no_column" when the crawl found no report
    # column on it (we could not look), "missing" when it did and found nothing.
    "coverage": """
with recursive years(y) as (
  select 2008 union all select y + 1 from years where y < (select coalesce(max(report_year), 2008) from reports)
), bodies as (
  select agency, adcode, max(province) as province, max(city) as city, max(county) as county, max(level) as level,
    null as discovery_status
  from reports where agency is not null group by agency, adcode
  union all
  select s.name, s.adcode, null, null, null, s.level, s.discovery_status
  from sites s where not exists (select 1 from reports r where r.site_id = s.site_id)
)
select b.province, b.city, b.county, b.adcode, b.agency, b.level, years.y as report_year,
  (select count(*) from reports r where r.agency = b.agency and r.adcode is b.adcode and r.report_year = years.y)
    as reports,
  case when exists (select 1 from reports r where r.agency = b.agency and r.adcode is b.adcode
                    and r.report_year = years.y) then 'found'
       when b.discovery_status = 'not_found' then 'no_column' else 'missing' end as status
from bodies b, years""",
    # Reports whose every known URL now answers 404/410: taken down from the official sites.
    "removed_reports": """
select id, title, agency, province, city, county, report_year, url, first_seen_at, last_seen_at, gone_at
from reports where gone_at is not null order by gone_at desc""",
    # Texts that changed after they were first archived, newest first.
    "recently_changed": """
select v.report_id, r.title, r.agency, v.version, v.fetched_at, v.url
from report_versions v join reports r on r.id = v.report_id
where v.version > 1 order by v.fetched_at desc""",
    # Per site: when a crawl last read it, and how many crawls in a row since then could not.
    # A crawl "could not read" a site when it stored no page of it and recorded errors.
    "site_health": """
select s.site_id, s.name, s.platform, s.detected_platform, s.report_column, s.discovery_status,
  (select max(r.finished_at) from crawl_run_sites c join crawl_runs r on r.id = c.run_id
   where c.site_id = s.site_id and not (c.pages = 0 and c.errors > 0)) as last_success,
  (select count(*) from crawl_run_sites c where c.site_id = s.site_id and c.pages = 0 and c.errors > 0
   and c.run_id > coalesce((select max(c2.run_id) from crawl_run_sites c2 where c2.site_id = s.site_id
                            and not (c2.pages = 0 and c2.errors > 0)), 0)) as consecutive_failures,
  (select c.requests from crawl_run_sites c where c.site_id = s.site_id order by c.run_id desc limit 1)
    as last_requests,
  (select c.errors from crawl_run_sites c where c.site_id = s.site_id order by c.run_id desc limit 1) as last_errors
from sites s order by consecutive_failures desc, s.site_id""",
    # The standard tables' headline numbers, one row per report that has them: what journalists compare
    # across regions and years. Shares are of the requests handled (三（七）总计).
    "request_stats": """
with per_report as (
  select s.report_id,
    max(case when s.row = '一、本年新收政府信息公开申请数量' and s.[column] = '总计' then s.value end) as requests_received,
    max(case when s.row = '二、上年结转政府信息公开申请数量' and s.[column] = '总计' then s.value end) as carried_in,
    max(case when s.row = '三、本年度办理结果/（七）总计' and s.[column] = '总计' then s.value end) as requests_handled,
    sum(case when s.row = '三、本年度办理结果/（一）予以公开' and s.[column] = '总计' then s.value end) as granted,
    sum(case when s.row like '三、本年度办理结果/（二）%' and s.[column] = '总计' then s.value end) as partly_granted,
    sum(case when s.row like '三、本年度办理结果/（三）%' and s.[column] = '总计' then s.value end) as refused,
    max(case when s.row = '四、结转下年度继续办理' and s.[column] = '总计' then s.value end) as carried_out,
    max(case when s.[table] = '四' and s.row = '行政复议' and s.[column] = '总计' then s.value end) as reconsiderations,
    max(case when s.[table] = '四' and s.row = '行政复议' and s.[column] = '结果纠正' then s.value end)
      as reconsiderations_corrected,
    sum(case when s.[table] = '四' and s.row like '行政诉讼/%' and s.[column] = '总计' then s.value end) as lawsuits,
    sum(case when s.[table] = '四' and s.row like '行政诉讼/%' and s.[column] = '结果纠正' then s.value end)
      as lawsuits_corrected
  from report_stats s group by s.report_id
)
select r.id as report_id, r.province, r.city, r.county, r.adcode, r.agency, r.level, r.report_year,
  r.stats_template as template, p.requests_received, p.carried_in, p.requests_handled, p.granted, p.partly_granted,
  p.refused, p.carried_out,
  case when p.requests_handled > 0 then round(1.0 * p.granted / p.requests_handled, 3) end as share_granted,
  case when p.requests_handled > 0 then round(1.0 * p.refused / p.requests_handled, 3) end as share_refused,
  p.reconsiderations, p.reconsiderations_corrected, p.lawsuits, p.lawsuits_corrected,
  (select count(*) from stats_checks c where c.report_id = r.id) as failed_checks
from per_report p join reports r on r.id = p.report_id""",
    # How fresh the archive is: its size and its last crawl.
    "archive_status": """
select (select count(*) from reports) as reports, (select count(*) from sightings) as sightings,
  (select count(*) from sites) as sites, (select count(*) from pages) as pages_fetched,
  (select max(finished_at) from crawl_runs where status = 'finished') as last_crawl_finished_at,
  (select count(*) from crawl_runs) as crawls""",
}
UNIQUE_INDEXES = {
    "reports": [["content_hash"]],
    "attachments": [["report_id", "url"]],
    "report_stats": [["report_id", "table", "row", "column"]],
    "sightings": [["url"]],
    "report_versions": [["report_id", "version"]],
    "crawl_run_sites": [["run_id", "site_id"]],
}


def ensure(db: sqlite_utils.Database) -> None:
    """Create what is missing; never drop or rewrite what exists (safe on every start)."""
    from . import search

    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    for name, (columns, pk) in TABLES.items():
        table = db.table(name)
        if not table.exists():
            table.create(
                columns,
                pk=pk,
                not_null={pk} if name in ("sites", "pages") else None,
                foreign_keys=FOREIGN_KEYS.get(name),
            )
        else:
            missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
            for column, col_type in missing.items():
                table.add_column(column, col_type)
        existing = {tuple(i.columns) for i in table.indexes}
        for cols in UNIQUE_INDEXES.get(name, []):
            if tuple(cols) not in existing:
                table.create_index(cols, unique=True, if_not_exists=True, index_name=f"ux_{name}_{'_'.join(cols)}")
        for cols in INDEXES.get(name, []):
            if tuple(cols) not in existing and cols not in UNIQUE_INDEXES.get(name, []):
                table.create_index(cols, if_not_exists=True)
    for name, sql in VIEWS.items():  # views hold no data: always (re)defined as the code says
        db.create_view(name, sql.strip(), replace=True)
    if not db[search.TABLE].exists() or db.execute("PRAGMA user_version").fetchone()[0] < search.INDEX_FORMAT:
        search.ensure(db)
        if db["reports"].count:
            search.rebuild(db)  # an archive from before the search index, or from an older format of it
        else:
            db.execute(f"PRAGMA user_version = {search.INDEX_FORMAT}")
