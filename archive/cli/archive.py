"""``nianbao serve``, ``nianbao raw`` and ``nianbao reprocess``: using an archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import db_option
from .output import say


@click.command("serve")
@db_option(must_exist=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Server processes (each a Datasette on the same read-only file): one per core.",
)
def serve_command(db: Path, port: int, workers: int) -> None:
    """Serve the archive read-only in Datasette, as the database "nianbao"."""
    from archive.serve import serve

    serve(db, port=port, workers=workers)


@click.command("raw")
@click.argument("report_id", type=int)
@click.option("--version", "version", type=int, help="Which version (default: the current one).")
@db_option(must_exist=True)
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: warc/ beside the archive.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def raw_command(report_id: int, version: int | None, db: Path, warc_dir: Path | None, output: Path | None) -> None:
    """Write the original bytes of a report (or of one of its versions), as its server sent them."""
    from archive.store import evidence, paths

    found = evidence.locate(db, report_id, version)
    if not found:
        raise click.ClickException(f"no report {report_id}" + (f" version {version}" if version else "") + f" in {db}")
    number, warc_file, offset, url = found
    if not warc_file:
        raise click.ClickException(f"report {report_id} version {number} was archived without WARC evidence")
    path = paths.warc_dir(db, warc_dir) / warc_file
    if not path.exists():
        raise click.ClickException(f"{path}: the WARC file is missing")
    target, body = evidence.read_payload(path, offset)
    if output:
        output.write_bytes(body)
        say(f"report {report_id} version {number}: {len(body)} bytes of {target} -> {output}")
    else:
        sys.stdout.buffer.write(body)


@click.command("reprocess")
@db_option(must_exist=True)
@click.option("--report", "report_ids", type=int, multiple=True, help="Only this report (repeatable). Default: all.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: warc/ beside the archive.")
@click.option(
    "--files-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: files/ beside the archive."
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def reprocess_command(
    db: Path, report_ids: tuple[int, ...], warc_dir: Path | None, files_dir: Path | None, dry_run: bool
) -> None:
    """Read the standard tables of archived reports again from their WARC and file evidence.

    Replaces only the derived cells, checks and stats_* columns of a report whose reading
    changed; texts, versions and sightings stay as archived. No site is asked.
    """
    import sqlite3

    from archive.store import Archive, StorageError, paths
    from archive.store.lock import ArchiveLocked, crawl_lock
    from archive.store.reprocess import reprocess, summary

    outcomes = []
    try:
        with crawl_lock(db):  # a crawl writing the same archive is not raced
            archive = Archive(db)
            for outcome in reprocess(
                archive, paths.warc_dir(db, warc_dir), paths.files_dir(db, files_dir), list(report_ids), dry_run=dry_run
            ):
                outcomes.append(outcome)
                if outcome.status == "skipped":
                    say(f"report {outcome.report_id}: skipped, {outcome.reason}")
                elif outcome.status == "updated":
                    say(
                        f"report {outcome.report_id}: {outcome.cells_before} -> {outcome.cells_after} "
                        "table cells" + (" (dry run)" if dry_run else "")
                    )
            archive.close()
    except (ArchiveLocked, StorageError) as e:
        raise click.ClickException(str(e)) from None
    except sqlite3.OperationalError as e:  # disk full, read-only: the report being written was rolled back
        raise click.ClickException(f"cannot write the archive {db}: {e} (disk full or read-only?)") from None
    click.echo(summary(outcomes, dry_run))


COMMANDS = [serve_command, raw_command, reprocess_command]
