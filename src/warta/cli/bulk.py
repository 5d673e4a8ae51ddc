"""`warta bulk`: whole web archives (CC-NEWS-sized) extracted on Ray or a process pool into Parquet files,
resumable and exactly-once, a thin layer over `warta.jobs.bulk`."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from warta.cli.common import assign_new_stories, open_store, progress, stopping
from warta.errors import WartaError
from warta.jobs.bulk import BulkSettings, BulkSummary, InputError, TaskOutcome, resolve, run
from warta.jobs.bulk.load import load
from warta.jobs.bulk.settings import ENGINES, TASK_MEMORY, TASK_TIMEOUT


@click.group("bulk")
def bulk_group() -> None:
    """Extract whole web archives into Parquet files (`extract`), then load them into the store (`load`)."""


@bulk_group.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Tasks at once [all cores, or the cluster's CPUs].")
@click.option("--address", envvar="RAY_ADDRESS", help="A Ray cluster (ray://host:port) [$RAY_ADDRESS; else local].")
@click.option("--engine", type=click.Choice(ENGINES), default="ray", show_default=True, help="What runs the tasks.")
@click.option("--retry-failed", is_flag=True, help="Run again the inputs that failed before.")
@click.option("--base-url", help="Where relative paths of a manifest resolve [Common Crawl's for crawl-data/ paths].")
@click.option("--task-timeout", type=click.FloatRange(min=1), default=TASK_TIMEOUT, show_default=True, help="Seconds.")
@click.option(
    "--task-memory", type=click.IntRange(min=64), default=TASK_MEMORY >> 20, show_default=True,
    help="MiB reserved per task (Ray schedules no more tasks than fit).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def extract_command(
    inputs: tuple[str, ...], out: Path, workers: int | None, address: str | None, engine: str, retry_failed: bool,
    base_url: str | None, task_timeout: float, task_memory: int, as_json: bool,
) -> None:  # fmt: skip
    """Extract every article of INPUTS (WARC files, folders of them, or manifests listing paths or URLs, one a
    line, as CC-NEWS's warc.paths.gz) into OUT/articles/<input>.parquet, one file per input.

    A rerun skips the inputs already done; an input is done once its marker is in OUT/_done, and one that
    failed for good is in OUT/_failed with its reason."""
    try:
        items = resolve(inputs, base_url)
    except InputError as error:
        raise click.ClickException(str(error)) from error
    if not items:
        raise click.ClickException("no web archives (.warc, .warc.gz) among the inputs")
    settings = BulkSettings(workers, address, engine, retry_failed, task_timeout, task_memory << 20)
    try:
        # Ray prints its own notices (a worker died, and why) on stdout, which belongs to the JSON summary.
        with _bar(len(items)) as show, contextlib.redirect_stdout(sys.stderr):
            summary = run(items, out, settings, show)
    except KeyboardInterrupt:
        click.echo("stopped; run the same command again to go on where this one was", err=True)
        sys.exit(130)
    except WartaError as error:
        raise click.ClickException(str(error)) from error
    _report(summary, as_json)
    if summary.inputs["failed"]:
        sys.exit(1)


class _bar:
    """Files done, records read and articles written per second, on stderr when it is a terminal."""

    def __init__(self, total: int) -> None:
        err = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, disable=not err.is_terminal,
        )  # fmt: skip
        self.task = self.progress.add_task("files", total=total)
        self.records = self.rows = 0

    def __enter__(self) -> _bar:
        self.progress.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.progress.stop()

    def __call__(self, outcome: TaskOutcome) -> None:
        self.records += outcome.records
        self.rows += outcome.rows
        elapsed = self.progress.tasks[0].elapsed or 1.0
        description = f"files · {self.records:,} records · {self.rows / elapsed:,.1f} articles/s"
        self.progress.update(self.task, advance=1, description=description)


def _report(summary: BulkSummary, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=1))
    inputs = ", ".join(f"{count} {state}" for state, count in summary.inputs.most_common())
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    click.echo(
        f"bulk: {inputs}; {summary.rows:,} articles from {summary.records:,} records in {summary.seconds:.1f} s "
        f"({rate:,.1f} articles/s)"
        + (f", peak worker memory {summary.peak_worker_rss >> 20:,} MiB" if summary.peak_worker_rss else ""),
        err=True,
    )
    for title, counts in (("skipped", summary.skipped), ("failed", summary.failures)):
        if counts:
            click.echo(f"  {title}: " + ", ".join(f"{n} {reason}" for reason, n in counts.most_common()), err=True)


@bulk_group.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--no-stories", is_flag=True,
    help="Leave the new articles' stories to a later `warta stories` (embedding them is most of a load's time).",
)  # fmt: skip
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Processes reading the rows [all cores].")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.pass_context
def load_command(ctx: click.Context, folder: Path, no_stories: bool, workers: int | None, as_json: bool) -> None:
    """Load the committed output of `warta bulk extract --out FOLDER` into the store that `--db` names, each
    file in one transaction and once: a file already loaded is skipped, so the load can be run again at any
    time (after more inputs were extracted, or after it was stopped)."""
    with open_store(ctx) as store, progress() as tick, stopping("bulk load"):
        summary = load(store, folder, tick, workers=workers)
        if as_json:
            click.echo(json.dumps(summary.as_dict(), indent=1))
        click.echo(summary.line(), err=True)
        for name, reason in summary.failures:
            click.echo(f"  not loaded: {name}: {reason}", err=True)
        if summary.files["loaded"] and not no_stories:
            assign_new_stories(store, tick)
    if summary.failures:
        sys.exit(1)


COMMANDS = (bulk_group,)
