"""The `warta` command line (see `warta.cli.main`)."""

from warta.cli.main import main

__all__ = ["main"]
