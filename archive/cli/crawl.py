"""``nianbao crawl``, ``nianbao worker`` and ``nianbao demo``: crawling into an archive."""

from __future__ import annotations

import time
from pathlib import Path

import click

from crawler import samples
from crawler.settings import settings_by_name

from .options import contact_option, db_option, default
from .output import say


@click.command("crawl")
@click.option(
    "--sites",
    "sites_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Registry CSV: site_id,name,adcode,level,platform,start_urls.",
)
@db_option()
@click.option("--allow-private", is_flag=True, help="Allow requests to private and loopback addresses.")
@click.option(
    "--refetch-days",
    type=click.FloatRange(0),
    default=default("NIANBAO_REFETCH_DAYS"),
    show_default=True,
    help="Fetch a known page that is still listed again (conditionally) after this many days.",
)
@click.option("--verbose", is_flag=True, help="Scrapy's INFO log on stderr.")
@click.option(
    "--redis",
    "redis_url",
    envvar=settings_by_name["REDIS_URL"].env,
    metavar="URL",
    help="Share the frontier in Redis with `nianbao worker`s; this process stores their items (env REDIS_URL).",
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="With --redis: also start this many workers on this machine.",
)
@click.option(
    "--redis-prefix",
    default=default("NIANBAO_REDIS_PREFIX"),
    show_default=True,
    help="With --redis: prefix of the crawl's keys.",
)
@contact_option
@click.option(
    "--plan",
    "show_plan",
    is_flag=True,
    help="Print what the crawl would cost (requests, GB, hours, workers for one night) and exit without crawling.",
)
@click.option(
    "--latency",
    type=click.FloatRange(0.01),
    default=1.5,
    show_default=True,
    help="With --plan: seconds a request to a real site takes (it cannot be measured from here).",
)
@click.option(
    "--figures-from",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --plan: the per-site figures of this archive's crawls (default: measured on the samples).",
)
def crawl_command(
    sites_path: Path,
    db: Path,
    allow_private: bool,
    refetch_days: float,
    verbose: bool,
    redis_url: str | None,
    workers: int,
    redis_prefix: str,
    contact_url: str | None,
    show_plan: bool,
    latency: float,
    figures_from: Path | None,
) -> None:
    """Crawl the sites of a registry into an archive (alone, or with workers sharing a Redis frontier)."""
    if show_plan:
        _plan(sites_path, max(workers, 1), latency, figures_from)
        return
    _crawl(sites_path, db, allow_private, verbose, refetch_days, redis_url, workers, redis_prefix, contact_url)


def _plan(sites_path: Path, workers: int, latency: float, figures_from: Path | None) -> None:
    from crawler import adapters, plan, registry
    from crawler.runner import crawl_settings

    try:
        sites, _ = registry.load(sites_path, tuple(adapters.ADAPTERS))
        figures = plan.figures_from_archive(figures_from) if figures_from else plan.SAMPLES
    except (registry.RegistryError, ValueError) as e:
        raise click.ClickException(str(e)) from None
    settings = crawl_settings(sites_path, "")
    estimate = plan.plan(
        len(sites),
        figures,
        delay_s=settings.getfloat("DOWNLOAD_DELAY"),
        target_concurrency=settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY"),
        concurrent_requests=settings.getint("CONCURRENT_REQUESTS"),
        latency_s=latency,
        workers=workers,
    )
    click.echo(plan.describe(estimate))


def _crawl(
    sites_path: Path,
    db: Path,
    allow_private: bool,
    verbose: bool,
    refetch_days: float,
    redis_url: str | None = None,
    workers: int = 0,
    redis_prefix: str | None = None,
    contact_url: str | None = None,
) -> dict:
    from archive.store import StorageError
    from archive.store.lock import ArchiveLocked
    from crawler.registry import RegistryError
    from crawler.runner import run_crawl

    started = time.monotonic()
    log_level = "INFO" if verbose else "WARNING"
    overrides = {"NIANBAO_REFETCH_DAYS": refetch_days}
    if contact_url:
        overrides["NIANBAO_CONTACT_URL"] = contact_url
    try:
        if redis_url:
            from crawler.distributed.coordinator import run_distributed_crawl
            from crawler.distributed.shared import RedisUnavailable

            try:
                run = run_distributed_crawl(
                    sites_path,
                    db,
                    redis_url,
                    allow_private=allow_private,
                    overrides=overrides,
                    prefix=redis_prefix or default("NIANBAO_REDIS_PREFIX"),
                    local_workers=workers,
                    log_level=log_level,
                )
            except RedisUnavailable as e:
                raise click.ClickException(str(e)) from None
        else:
            run = run_crawl(sites_path, db, allow_private=allow_private, log_level=log_level, overrides=overrides)
    except (RegistryError, ArchiveLocked, StorageError) as e:
        raise click.ClickException(str(e)) from None
    say(
        f"crawl run {run['id']} {run['status']} in {time.monotonic() - started:.0f}s: {run['requests']} requests, "
        f"{run['pages']} pages, {run['reports_new']} new reports, {run['sightings_new']} new sightings, "
        f"{run['reports_changed']} changed, {run['reports_unchanged']} unchanged, {run['gone']} gone, "
        f"{run['rejected']} rejected, {run['errors']} errors -> {db}"
    )
    if run["status"] != "finished":
        raise click.ClickException(f"crawl ended: {run['status']}")
    return run


@click.command("worker")
@click.option(
    "--redis",
    "redis_url",
    envvar=settings_by_name["REDIS_URL"].env,
    metavar="URL",
    required=True,
    help="The Redis of the crawl to join (env REDIS_URL).",
)
@click.option(
    "--prefix", default=default("NIANBAO_REDIS_PREFIX"), show_default=True, help="Prefix of the crawl's keys."
)
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where this worker writes its WARC evidence (default: ./warc).",
)
@click.option(
    "--files-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A copy of the archive's files/ (read only; a shared mount or a synced copy): files kept there "
    "are asked for conditionally, so an unchanged one costs a 304. Without it, files are fetched whole.",
)
@click.option(
    "--wait", type=click.FloatRange(0), default=600, show_default=True, help="Seconds to wait for a crawl to join."
)
@click.option("--verbose", is_flag=True, help="Scrapy's INFO log on stderr.")
def worker_command(
    redis_url: str, prefix: str, warc_dir: Path | None, files_dir: Path | None, wait: float, verbose: bool
) -> None:
    """Fetch for the crawl a `nianbao crawl --redis` coordinates, until it is done."""
    from crawler.distributed.shared import RedisUnavailable
    from crawler.distributed.worker import run_worker

    started = time.monotonic()
    try:
        stats = run_worker(
            redis_url,
            prefix=prefix,
            warc_dir=warc_dir,
            files_dir=files_dir,
            wait_s=wait,
            log_level="INFO" if verbose else "WARNING",
        )
    except RedisUnavailable as e:
        raise click.ClickException(str(e)) from None
    say(
        f"worker done in {time.monotonic() - started:.0f}s: {stats.get('downloader/request_count', 0)} requests, "
        f"{stats.get('item_scraped_count', 0)} items, finish reason {stats.get('finish_reason')}"
    )
    if stats.get("finish_reason") != "finished":
        raise click.ClickException(f"worker ended: {stats.get('finish_reason')}")


@click.command("demo")
@click.option("--day", type=click.IntRange(1, 2), default=1, show_default=True, help="Which day of the sample web.")
@click.option("--no-serve", is_flag=True, help="Build the archive and exit instead of serving it.")
@db_option()
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
        say(f"demo: sample web (day {day}, {len(web.world.sites)} sites) at proxy {server.proxy_url}")
        # Re-fetch every known page (conditionally): the day-2 demo is there to show the edit.
        _crawl(registry, db, allow_private=False, verbose=False, refetch_days=0)
    if not no_serve:
        from archive.serve import serve

        serve(db, port=port)


COMMANDS = [crawl_command, worker_command, demo_command]
