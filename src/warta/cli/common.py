"""What the command groups share: the store from `--db`, dates and publishers from options, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from warta.errors import WartaError
from warta.jobs.stories import assign_if_installed
from warta.store import Store
from warta.store.db import StoreUnavailable, stop_if_unavailable


@contextmanager
def open_store(ctx: click.Context) -> Iterator[Store]:
    """The store the global `--db` option names (see `warta.store.db`), closed after the command."""
    try:
        store = Store(ctx.obj.get("db") if ctx.obj else None)
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()


def when(value: str | None) -> datetime | None:
    """A date or datetime option ("2024-05-01", "2024-05-01T10:00+07:00"); a naive one is UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date: {value!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def publisher_id(store: Store, publisher: str | None) -> int | None:
    """The id of the publisher a `--publisher` option names (id, home URL, host or name)."""
    if publisher is None:
        return None
    found = store.find_publisher(publisher)
    if found is None:
        raise click.ClickException(f"no publisher {publisher!r}")
    return found.id


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that narrow a list of stored articles."""
    for option in reversed(
        [
            click.option("--publisher", help="Publisher id, home URL, host or name."),
            click.option("--language", help="Language code, e.g. id, en."),
            click.option("--since", help="Published at or after (ISO 8601)."),
            click.option("--until", help="Published before (ISO 8601)."),
        ]
    ):
        command = option(command)
    return command


def short_time(moment: datetime | None) -> str:
    """A stored time as the publisher wrote it, to the minute: "2022-01-20 06:53"."""
    return moment.isoformat()[:16].replace("T", " ") if moment is not None else ""


@contextmanager
def progress() -> Iterator[Callable[[str, int], None]]:
    """A live count on stderr when it is a terminal."""
    err = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, disable=not err.is_terminal) as bar:
        tasks: dict[str, Any] = {}
        counts: dict[str, int] = {}

        def tick(what: str, more: int) -> None:
            counts[what] = counts.get(what, 0) + more
            if what not in tasks:
                tasks[what] = bar.add_task(what)
            bar.update(tasks[what], description=f"{what}: {counts[what]}")

        yield tick


@contextmanager
def stopping(command: str) -> Iterator[None]:
    """A store that refuses writes ends the command with its reason and exit 1, and Ctrl-C with exit 130;
    neither with a traceback. What was stored before stays: each article (each file, in a bulk load) is one
    transaction."""
    try:
        with stop_if_unavailable():
            yield
    except StoreUnavailable as exc:
        raise click.ClickException(f"{exc}; {command} stopped, the articles stored before are kept") from exc
    except KeyboardInterrupt:
        click.echo(f"{command} interrupted; what was stored is kept, and running it again completes it", err=True)
        sys.exit(130)


def assign_new_stories(store: Store, tick: Callable[[str, int], None]) -> None:
    """Put the new articles in their stories, when the `stories` extra is installed; say so when it is not."""
    summary = assign_if_installed(store, tick)
    if summary is None:
        click.echo("stories: not assigned (pip install 'warta[stories]' to gather them)", err=True)
    elif summary.counts:
        click.echo(summary.line(), err=True)
