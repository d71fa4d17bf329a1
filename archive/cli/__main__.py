"""``python -m archive.cli``: what a coordinator runs to start workers on its own machine."""

from archive.cli import main

main()
