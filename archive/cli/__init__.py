"""The ``nianbao`` command line, one module per command group.

Subcommands are thin: they parse options, call the library, and report on stderr; the work
lives in the packages so it can be tested without a shell. Progress lines of the crawl go
through the ``nianbao.progress`` logger, which the command line prints on stderr.
"""

from __future__ import annotations

import click

from . import archive, crawl, reading, reference, samples, sites
from .output import progress_to_stderr


@click.group()
@click.version_option(package_name="nianbao")
def main() -> None:
    """nianbao (年报): an open archive of Chinese government information-disclosure annual reports."""
    progress_to_stderr()


for group in (samples, crawl, archive, reading, sites, reference):
    for command in group.COMMANDS:
        main.add_command(command)
