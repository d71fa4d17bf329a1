"""The ``nianbao`` command line.

Subcommands are thin: they parse options, call the library, and report on stderr; the work
lives in the packages so it can be tested without a shell.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from archive.options import contact_option
from crawler import samples


@click.group()
@click.version_option(package_name="nianbao")
def main() -> None:
    """nianbao (年报): an open archive of Chinese government information-disclosure annual reports."""


# --------------------------------------------------------------------------------------------
# nianbao samples …

def _world_options(f):
    f = click.option("--scale", metavar="SITES:REPORTS", help="Generated sites x reports each (e.g. 50:100).")(f)
    f = click.option("--day", type=click.IntRange(1, 2), default=1, show_default=True,
                     help="Day 1, or day 2 (one report edited, one deleted, one new, one republished).")(f)
    f = click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated texts and numbers.")(f)
    return f


def _web(seed: int, day: int, scale: str | None) -> samples.SampleWeb:
    try:
        scale_pair = samples.parse_scale(scale)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--scale") from None
    started = time.monotonic()
    web = samples.sample_web(seed=seed, day=day, scale=scale_pair)
    n_pages = sum(len(p) for p in web.world.postings.values())
    click.echo(f"samples: {len(web.world.sites)} sites, {n_pages} article pages (day {day}, seed {seed}) "
               f"generated in {time.monotonic() - started:.1f}s", err=True)
    return web


@main.group("samples")
def samples_group() -> None:
    """The offline sample web that tests, benchmarks and the demo crawl."""


@samples_group.command("serve")
@_world_options
@click.option("--port", type=click.IntRange(0, 65535), default=8899, show_default=True,
              help="Port of the proxy on 127.0.0.1 (0: any free port).")
@click.option("--verbose", is_flag=True, help="Log every request.")
def samples_serve(seed: int, day: int, scale: str | None, port: int, verbose: bool) -> None:
    """Serve the sample sites as an HTTP proxy for their hostnames, until stopped."""
    from crawler.samples.server import SampleServer

    web = _web(seed, day, scale)
    try:
        server = SampleServer(web, port=port, quiet=not verbose)
    except OSError as e:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
    click.echo(f"proxy: {server.proxy_url}", err=False)
    click.echo(f"  e.g. curl -x {server.proxy_url} {samples.site_rows(web.world)[0]['start_urls']}", err=True)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@samples_group.command("manifest")
@_world_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write JSON lines here (and sites.jsonl beside it) instead of stdout.")
def samples_manifest(seed: int, day: int, scale: str | None, output: Path | None) -> None:
    """Print the truth of every sample URL, one JSON object per line."""
    web = _web(seed, day, scale)
    if output:
        n = samples.write_jsonl(web.world, output)
        click.echo(f"wrote {n} rows to {output}", err=True)
        return
    for row in samples.page_rows(web.world):
        click.echo(json.dumps(row, ensure_ascii=False))


@samples_group.command("registry")
@_world_options
def samples_registry(seed: int, day: int, scale: str | None) -> None:
    """Print the sample sites in the registry CSV format."""
    click.echo(samples.registry_csv(_web(seed, day, scale).world), nl=False)


@samples_group.command("build")
@_world_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write HOST/PATH files, manifest.jsonl and sites.csv into.")
def samples_build(seed: int, day: int, scale: str | None, out: Path) -> None:
    """Write the sample sites to files, for reading them or serving them elsewhere."""
    n = samples.write_site_files(_web(seed, day, scale), out)
    click.echo(f"wrote {n} files under {out}", err=True)


# --------------------------------------------------------------------------------------------
# nianbao crawl / serve / extract / demo


@main.command("crawl")
@click.option("--sites", "sites_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Registry CSV: site_id,name,adcode,level,platform,start_urls.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("nianbao.db"), show_default=True,
              help="The archive (created or updated).")
@click.option("--allow-private", is_flag=True, help="Allow requests to private and loopback addresses.")
@click.option("--refetch-days", type=click.FloatRange(0), default=7, show_default=True,
              help="Fetch a known page that is still listed again (conditionally) after this many days.")
@click.option("--verbose", is_flag=True, help="Scrapy's INFO log on stderr.")
@click.option("--redis", "redis_url", envvar="REDIS_URL", metavar="URL",
              help="Share the frontier in Redis with `nianbao worker`s; this process stores their items (env REDIS_URL).")
@click.option("--workers", type=click.IntRange(0), default=0, show_default=True,
              help="With --redis: also start this many workers on this machine.")
@click.option("--redis-prefix", default="nianbao", show_default=True, help="With --redis: prefix of the crawl's keys.")
@contact_option
def crawl_command(sites_path: Path, db: Path, allow_private: bool, refetch_days: float, verbose: bool,
                  redis_url: str | None, workers: int, redis_prefix: str, contact_url: str | None) -> None:
    """Crawl the sites of a registry into an archive (alone, or with workers sharing a Redis frontier)."""
    _crawl(sites_path, db, allow_private, verbose, refetch_days, redis_url, workers, redis_prefix, contact_url)


def _crawl(sites_path: Path, db: Path, allow_private: bool, verbose: bool, refetch_days: float = 7,
           redis_url: str | None = None, workers: int = 0, redis_prefix: str = "nianbao",
           contact_url: str | None = None) -> dict:
    from archive.crawl import ArchiveLocked, run_crawl
    from crawler.registry import RegistryError
    from pipelines.storage import StorageError

    started = time.monotonic()
    log_level = "INFO" if verbose else "WARNING"
    overrides = {"NIANBAO_REFETCH_DAYS": refetch_days}
    if contact_url:
        overrides["NIANBAO_CONTACT_URL"] = contact_url
    try:
        if redis_url:
            from archive.distributed import RedisUnavailable, run_distributed_crawl

            try:
                run = run_distributed_crawl(sites_path, db, redis_url, allow_private=allow_private, overrides=overrides,
                                            prefix=redis_prefix, local_workers=workers, log_level=log_level)
            except RedisUnavailable as e:
                raise click.ClickException(str(e)) from None
        else:
            run = run_crawl(sites_path, db, allow_private=allow_private, log_level=log_level, overrides=overrides)
    except (RegistryError, ArchiveLocked, StorageError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"crawl run {run['id']} {run['status']} in {time.monotonic() - started:.0f}s: {run['requests']} requests, "
               f"{run['pages']} pages, {run['reports_new']} new reports, {run['sightings_new']} new sightings, "
               f"{run['reports_changed']} changed, {run['reports_unchanged']} unchanged, {run['gone']} gone, "
               f"{run['rejected']} rejected, {run['errors']} errors -> {db}", err=True)
    if run["status"] != "finished":
        raise click.ClickException(f"crawl ended: {run['status']}")
    return run


@main.command("worker")
@click.option("--redis", "redis_url", envvar="REDIS_URL", metavar="URL", required=True,
              help="The Redis of the crawl to join (env REDIS_URL).")
@click.option("--prefix", default="nianbao", show_default=True, help="Prefix of the crawl's keys.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where this worker writes its WARC evidence (default: ./warc).")
@click.option("--files-dir", type=click.Path(file_okay=False, path_type=Path),
              help="A copy of the archive's files/ (read only; a shared mount or a synced copy): files kept there "
                   "are asked for conditionally, so an unchanged one costs a 304. Without it, files are fetched whole.")
@click.option("--wait", type=click.FloatRange(0), default=600, show_default=True,
              help="Seconds to wait for a crawl to join.")
@click.option("--verbose", is_flag=True, help="Scrapy's INFO log on stderr.")
def worker_command(redis_url: str, prefix: str, warc_dir: Path | None, files_dir: Path | None, wait: float,
                   verbose: bool) -> None:
    """Fetch for the crawl a `nianbao crawl --redis` coordinates, until it is done."""
    from archive.distributed import RedisUnavailable, run_worker

    started = time.monotonic()
    try:
        stats = run_worker(redis_url, prefix=prefix, warc_dir=warc_dir, files_dir=files_dir, wait_s=wait,
                           log_level="INFO" if verbose else "WARNING")
    except RedisUnavailable as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"worker done in {time.monotonic() - started:.0f}s: {stats.get('downloader/request_count', 0)} requests, "
               f"{stats.get('item_scraped_count', 0)} items, finish reason {stats.get('finish_reason')}", err=True)
    if stats.get("finish_reason") != "finished":
        raise click.ClickException(f"worker ended: {stats.get('finish_reason')}")


@main.command("serve")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("nianbao.db"),
              show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Server processes (each a Datasette on the same read-only file): one per core.")
def serve_command(db: Path, port: int, workers: int) -> None:
    """Serve the archive read-only in Datasette, as the database "nianbao"."""
    from archive.serve import serve

    serve(db, port=port, workers=workers)


@main.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (resolves relative links; helps metadata).")
@click.option("--content-type", help="The Content-Type header it was served with, if known.")
def extract_command(file: Path, url: str | None, content_type: str | None) -> None:
    """Run the page pipeline on one saved page or attached file (PDF, DOCX, …) and print one JSON object.

    ``stats`` holds the standard tables read into numbers (null when there are none)."""
    from pipelines.page import is_document, process, process_document

    data = file.read_bytes()
    record = process_document(data, url) if is_document(data) else process(data, url, content_type)
    out = {k: getattr(record, k) for k in ("is_report", "reject_reason", "title", "agency", "source", "province",
                                           "city", "county", "adcode", "level", "report_year", "published_date",
                                           "site_name", "attachments", "text", "stats")}
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


@main.command("raw")
@click.argument("report_id", type=int)
@click.option("--version", "version", type=int, help="Which version (default: the current one).")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("nianbao.db"),
              show_default=True)
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: warc/ beside the archive.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def raw_command(report_id: int, version: int | None, db: Path, warc_dir: Path | None, output: Path | None) -> None:
    """Write the original bytes of a report (or of one of its versions), as its server sent them."""
    import sqlite_utils

    from crawler.evidence import read_payload

    database = sqlite_utils.Database(db)
    sql = "select version, warc_file, warc_offset, url from report_versions where report_id = ?"
    rows = database.execute(sql + (" and version = ?" if version else " order by version desc limit 1"),
                            [report_id, version] if version else [report_id]).fetchall()
    if not rows:
        raise click.ClickException(f"no report {report_id}" + (f" version {version}" if version else "") + f" in {db}")
    number, warc_file, offset, url = rows[0]
    if not warc_file:
        raise click.ClickException(f"report {report_id} version {number} was archived without WARC evidence")
    path = (warc_dir or db.resolve().parent / "warc") / warc_file
    if not path.exists():
        raise click.ClickException(f"{path}: the WARC file is missing")
    target, body = read_payload(path, offset)
    if output:
        output.write_bytes(body)
        click.echo(f"report {report_id} version {number}: {len(body)} bytes of {target} -> {output}", err=True)
    else:
        sys.stdout.buffer.write(body)


@main.command("reprocess")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=Path("nianbao.db"),
              show_default=True)
@click.option("--report", "report_ids", type=int, multiple=True, help="Only this report (repeatable). Default: all.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: warc/ beside the archive.")
@click.option("--files-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: files/ beside the archive.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def reprocess_command(db: Path, report_ids: tuple[int, ...], warc_dir: Path | None, files_dir: Path | None,
                      dry_run: bool) -> None:
    """Read the standard tables of archived reports again from their WARC and file evidence.

    Replaces only the derived cells, checks and stats_* columns of a report whose reading
    changed; texts, versions and sightings stay as archived. No site is asked.
    """
    import sqlite3

    from archive.crawl import ArchiveLocked, crawl_lock
    from archive.reprocess import reprocess, summary
    from archive.store import Archive
    from pipelines.storage import StorageError

    from crawler.evidence import warc_dir as default_warc_dir
    from pipelines.storage import files_dir as default_files_dir

    beside = {"NIANBAO_DB": str(db)}  # the crawl's own rules for where evidence lies
    outcomes = []
    try:
        with crawl_lock(db):  # a crawl writing the same archive is not raced
            archive = Archive(db)
            for outcome in reprocess(archive, warc_dir or default_warc_dir(beside),
                                     files_dir or default_files_dir(beside), list(report_ids), dry_run=dry_run):
                outcomes.append(outcome)
                if outcome.status == "skipped":
                    click.echo(f"report {outcome.report_id}: skipped, {outcome.reason}", err=True)
                elif outcome.status == "updated":
                    click.echo(f"report {outcome.report_id}: {outcome.cells_before} -> {outcome.cells_after} "
                               "table cells" + (" (dry run)" if dry_run else ""), err=True)
            archive.close()
    except (ArchiveLocked, StorageError) as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.OperationalError as e:  # disk full, read-only: the report being written was rolled back
        raise click.ClickException(f"cannot write the archive {db}: {e} (disk full or read-only?)") from None
    click.echo(summary(outcomes, dry_run))


@main.command("eval")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def eval_command(manifest: Path) -> None:
    """Score the page pipeline on labelled pages (JSON lines: path, url, kind, title, published, agency, adcode, report_year)."""
    from pipelines.evaluate import evaluate, report

    try:
        scores, _ = evaluate(manifest)
    except (ValueError, KeyError, OSError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(report(scores))


@main.command("demo")
@click.option("--day", type=click.IntRange(1, 2), default=1, show_default=True, help="Which day of the sample web.")
@click.option("--no-serve", is_flag=True, help="Build the archive and exit instead of serving it.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("nianbao.db"), show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Datasette's port.")
def demo_command(day: int, no_serve: bool, db: Path, port: int) -> None:
    """Serve the sample sites, crawl them into the archive, then serve it in Datasette."""
    import os
    import tempfile

    from crawler.samples.server import SampleServer

    web = samples.sample_web(day=day)
    with SampleServer(web) as server, tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "sites.csv"
        registry.write_text(samples.registry_csv(web.world), encoding="utf-8")
        os.environ["http_proxy"] = os.environ["HTTP_PROXY"] = server.proxy_url
        os.environ.pop("no_proxy", None)
        os.environ.pop("NO_PROXY", None)
        click.echo(f"demo: sample web (day {day}, {len(web.world.sites)} sites) at proxy {server.proxy_url}", err=True)
        # Re-fetch every known page (conditionally): the day-2 demo is there to show the edit.
        _crawl(registry, db, allow_private=False, verbose=False, refetch_days=0)
    if not no_serve:
        from archive.serve import serve

        serve(db, port=port)


from archive.sites_cli import sites_group  # noqa: E402  (nianbao sites …, in its own module)

main.add_command(sites_group)

if __name__ == "__main__":
    main()
