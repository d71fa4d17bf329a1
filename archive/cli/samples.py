"""``nianbao samples …``: the offline sample web that tests, benchmarks and the demo crawl."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from crawler import samples

from .output import say


def _world_options(f):
    f = click.option("--scale", metavar="SITES:REPORTS", help="Generated sites x reports each (e.g. 50:100).")(f)
    f = click.option(
        "--day",
        type=click.IntRange(1, 2),
        default=1,
        show_default=True,
        help="Day 1, or day 2 (one report edited, one deleted, one new, one republished).",
    )(f)
    f = click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated texts and numbers.")(
        f
    )
    return f


def _web(seed: int, day: int, scale: str | None) -> samples.SampleWeb:
    try:
        scale_pair = samples.parse_scale(scale)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--scale") from None
    started = time.monotonic()
    web = samples.sample_web(seed=seed, day=day, scale=scale_pair)
    n_pages = sum(len(p) for p in web.world.postings.values())
    say(
        f"samples: {len(web.world.sites)} sites, {n_pages} article pages (day {day}, seed {seed}) "
        f"generated in {time.monotonic() - started:.1f}s"
    )
    return web


@click.group("samples")
def samples_group() -> None:
    """The offline sample web that tests, benchmarks and the demo crawl."""


@samples_group.command("serve")
@_world_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8899,
    show_default=True,
    help="Port of the proxy on 127.0.0.1 (0: any free port).",
)
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
    say(f"  e.g. curl -x {server.proxy_url} {samples.site_rows(web.world)[0]['start_urls']}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


@samples_group.command("manifest")
@_world_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write JSON lines here (and sites.jsonl beside it) instead of stdout.",
)
def samples_manifest(seed: int, day: int, scale: str | None, output: Path | None) -> None:
    """Print the truth of every sample URL, one JSON object per line."""
    web = _web(seed, day, scale)
    if output:
        n = samples.write_jsonl(web.world, output)
        say(f"wrote {n} rows to {output}")
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
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write HOST/PATH files, manifest.jsonl and sites.csv into.",
)
def samples_build(seed: int, day: int, scale: str | None, out: Path) -> None:
    """Write the sample sites to files, for reading them or serving them elsewhere."""
    n = samples.write_site_files(_web(seed, day, scale), out)
    say(f"wrote {n} files under {out}")


COMMANDS = [samples_group]
