"""The `warta` command: a thin layer over the library that parses arguments and reports outcomes.

Its commands live in one module per group: `extract` (pages and corpora to articles, nothing stored),
`crawl` (following publishers and filling the store), `library` (reading the store), `serve` (the reader)
and `bulk` (whole web archives on Ray).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from warta._version import __version__
from warta.cli import bulk, crawl, extract, library, serve
from warta.store.db import StoreUnavailable

# The exit status of a command stopped by Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
INTERRUPTED = 130


class Warta(click.Group):
    """The command group, ending every command alike when stopped: Ctrl-C exits 130 with one line, and a
    store that refuses writes exits 1 with its reason; neither prints a traceback (Click's own handling of
    Ctrl-C says "Aborted!" and exits 1, which a script cannot tell from a failure)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)
        except StoreUnavailable as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Warta, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
@click.option(
    "--db", envvar="WARTA_DATABASE_URL", metavar="URL",
    help="The store: a SQLite path or URL, or postgresql://... [$WARTA_DATABASE_URL, else a file in the data dir].",
)  # fmt: skip
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Warta turns news pages into clean, structured articles, and follows the publishers you choose."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


for _group in (extract, crawl, library, serve, bulk):
    for _command in _group.COMMANDS:
        main.add_command(_command)
