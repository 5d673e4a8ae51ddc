"""`warta extract`, `warta clean` and `warta cluster`: pages, corpora and reports in, articles and stories
out, nothing stored."""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from warta.errors import WartaError
from warta.jobs.corpus import clean_corpus
from warta.jobs.corpus import tally as tally_cleaned
from warta.jobs.files import STDIN, Outcome, expand_inputs, extract_many, extract_one, tally
from warta.jobs.workers import Summary
from warta.render import FORMATS, render

# Separator between articles in the human-readable formats of a batch (JSON batches are JSON Lines).
BATCH_SEPARATOR = {"markdown": "\n---\n\n", "text": "\n\f\n", "html": ""}


@click.command("extract")
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
    summary = Summary("extract")
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
    if summary.skipped:
        sys.exit(1)


@click.command("clean")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write records here.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Processes [all cores].")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False), help="Also write the summary as JSON.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [when a terminal].")
def clean_command(
    inputs: tuple[str, ...], output: TextIO, workers: int | None, summary_path: str | None, progress: bool | None
) -> None:
    """Clean a web-text corpus: JSON Lines of {"text": ..., "url": ...} records (files, .gz, or - for stdin).

    Each record comes out with its text replaced by the article's body, the article's fields under "warta"
    and the lines removed by reason under "removed". Lines that a site prints on many of its pages are
    furniture even where they read as prose. A summary of what was removed and why closes the run.
    """
    summary = Summary("clean")
    err = Console(stderr=True)
    show = progress if progress is not None else err.is_terminal
    with Progress(TextColumn("cleaning"), MofNCompleteColumn(), console=err, disable=not show) as bar:
        task = bar.add_task("clean", total=None)
        try:
            for outcome in clean_corpus(_corpus_lines(inputs), workers):
                tally_cleaned(summary, outcome)
                if outcome.record is not None:
                    output.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
                bar.advance(task)
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or 'input'}: {exc.strerror or exc}") from exc
    click.echo(summary.line(), err=True)
    if summary_path:
        with open(summary_path, "w", encoding="utf-8") as handle:
            json.dump(summary.to_dict(), handle, indent=1, ensure_ascii=False)


def _corpus_lines(inputs: tuple[str, ...]) -> Iterator[str]:
    """The lines of every input in turn; gzipped files are read as such, undecodable bytes replaced."""
    for source in inputs:
        if source == STDIN:
            yield from io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
            continue
        with open(source, "rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(source, "rt", encoding="utf-8", errors="replace") as handle:
            yield from handle


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
        tally(summary, outcome)
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


@click.command("cluster")
@click.argument("source", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [when a terminal].")
def cluster_command(source: TextIO, output: TextIO, progress: bool | None) -> None:
    """Group reports into stories: JSON Lines of {"id", "url", "title", "text", "lang", "published"} records
    (any may be null) in, one {"id", "story"} line per record out, in input order.

    Reports of one happening join one story across outlets and languages; copies of one text join the story
    of the first. Needs the `stories` extra (offline multilingual embeddings). Records that are not
    reports, or repeat an id, are reported on stderr and skipped; the exit status is then 1.
    """
    from warta.stories import E5, cluster
    from warta.stories.batch import read_report

    summary = Summary("extract")
    reports = []
    ids: set[str] = set()
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        report = read_report(line, number)
        if isinstance(report, str) or report.id in ids:
            reason = report if isinstance(report, str) else "repeated id"
            summary.skipped[reason] += 1
            click.echo(f"warta: line {number}: skipped, {reason}", err=True)
            continue
        ids.add(report.id)
        reports.append(report)
    err = Console(stderr=True)
    show = progress if progress is not None else err.is_terminal
    try:
        with Progress(
            TextColumn("embedding leads"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=err, disable=not show,
        ) as bar:  # fmt: skip
            task = bar.add_task("embed", total=None)
            stories = cluster(reports, E5(), progress=lambda done, total: bar.update(task, completed=done, total=total))
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    for report in reports:
        output.write(json.dumps({"id": report.id, "story": stories[report.id].story}, ensure_ascii=False) + "\n")
    copies = sum(assignment.copy_of is not None for assignment in stories.values())
    count = len({assignment.story for assignment in stories.values()})
    click.echo(f"{len(reports)} reports ({copies} copies) in {count} stories", err=True)
    if summary.skipped:
        sys.exit(1)


COMMANDS = (extract_command, clean_command, cluster_command)
