"""The `warta` command: a thin layer over the library that parses arguments and reports outcomes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from warta import __version__
from warta.batch import STDIN, Outcome, Summary, expand_inputs, extract_many, extract_one
from warta.render import FORMATS, render

# Separator between articles in the human-readable formats of a batch (JSON batches are JSON Lines).
BATCH_SEPARATOR = {"markdown": "\n---\n\n", "text": "\n\f\n", "html": ""}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """Warta turns news pages into clean, structured articles."""


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
    help="Output format. JSON is one document for one page and JSON Lines for many.",
)  # fmt: skip
@click.option("--text", "force_text", is_flag=True, help="Treat inputs as flattened page text, not HTML.")
@click.option("--url", help="The page's URL (for one input): resolves links, helps the headline.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Processes for large batches [all cores].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on batches [when a terminal].")
def extract_command(
    inputs: tuple[str, ...],
    fmt: str,
    force_text: bool,
    url: str | None,
    output: TextIO,
    workers: int | None,
    progress: bool | None,
) -> None:
    """Extract articles from HTML pages or page text: files, directories, globs, or - for stdin.

    Bad inputs are reported one line each on stderr and skipped; the exit status is 1 if any was.
    """
    sources = list(expand_inputs(inputs))
    single = len(sources) == 1
    if url is not None and not single:
        raise click.UsageError("--url applies to a single input")
    summary = Summary()
    if single:
        _emit([extract_one(sources[0], force_text, url)], fmt, True, output, summary)
    else:
        err = Console(stderr=True)
        show = progress if progress is not None else err.is_terminal
        with Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=err, disable=not show,
        ) as bar:  # fmt: skip
            task = bar.add_task("extract", total=len(sources))
            stream = extract_many(sources, force_text, workers)
            _emit(stream, fmt, False, output, summary, lambda: bar.advance(task))
        click.echo(summary.line(), err=True)
    if summary.failed:
        sys.exit(1)


def _emit(
    outcomes: Iterable[Outcome],
    fmt: str,
    single: bool,
    output: TextIO,
    summary: Summary,
    tick: Callable[[], None] | None = None,
) -> None:
    first = True
    for outcome in outcomes:
        summary.add(outcome)
        if outcome.article is None:
            name = "<stdin>" if outcome.source == STDIN else outcome.source
            click.echo(f"warta: {name}: skipped, {outcome.reason}: {outcome.message}", err=True)
        else:
            if not first and not single and fmt != "json":
                output.write(BATCH_SEPARATOR[fmt])
            output.write(render(outcome.article, fmt, single))
            first = False
        if tick is not None:
            tick()
