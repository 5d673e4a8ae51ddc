"""The commands that follow publishers and fill the store: `follow`, `unfollow`, `publishers`, `crawl`,
`import` and `reextract`, a thin layer over `warta.jobs`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

import click
from platformdirs import user_data_dir
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from warta.cli.common import assign_new_stories, open_store, progress, stopping, when
from warta.errors import WartaError
from warta.fetch import FetchSettings, Reason
from warta.jobs import (
    CrawlSettings,
    Summary,
    crawl,
    crawl_once,
    follow,
    import_pages,
    import_warc,
    queue_urls,
    reextract,
)
from warta.jobs.crawl import EXIT_BUSY, crawl_lease
from warta.jobs.imports import archives_in, pages_in
from warta.jobs.stories import assign_stories
from warta.jobs.workers import Progress
from warta.models import SourceHealth
from warta.store import FAILED, FETCHING, QUEUED, SKIPPED, Store
from warta.store.lease import StoreBusy

DEFAULT_INTERVAL = 1800.0  # seconds between polls when `warta crawl` keeps polling


def _fetch_settings(
    rate: float, robots: bool, allow_private: bool, contact: str | None, timeout: float | None = None
) -> FetchSettings:
    settings = FetchSettings(rate_per_host=rate, respect_robots=robots, allow_private=allow_private, contact=contact)
    return settings.with_timeout(timeout) if timeout is not None else settings


# What to tell someone whose URLs were all refused as private: the flag that lets them through.
PRIVATE_HINT = "private or loopback address refused; pass --allow-private to fetch it"


def _hinted(message: str) -> str:
    return f"{message} ({PRIVATE_HINT})" if Reason.PRIVATE_ADDRESS in message else message


def fetch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The politeness options shared by the commands that fetch."""
    for option in reversed(
        [
            click.option("--rate", type=float, default=1.0, show_default=True, help="Requests per second per host."),
            click.option("--robots/--no-robots", default=True, help="Obey robots.txt [obey]."),
            click.option("--allow-private", is_flag=True, help="Allow private and loopback addresses."),
            click.option("--contact", help="An e-mail or URL for the User-Agent, so sites can reach you."),
            click.option(
                "--timeout",
                type=click.FloatRange(min=0, min_open=True),
                help="Seconds one response may take, connect, headers and body together [120; robots.txt 30].",
            ),
        ]
    ):
        command = option(command)
    return command


@click.command("follow")
@click.argument("url")
@fetch_options
@click.pass_context
def follow_command(
    ctx: click.Context,
    url: str,
    rate: float,
    robots: bool,
    allow_private: bool,
    contact: str | None,
    timeout: float | None,
) -> None:
    """Follow a publisher: from its homepage, a feed or a sitemap, find and register its sources."""
    settings = _fetch_settings(rate, robots, allow_private, contact, timeout)
    with open_store(ctx) as store:
        try:
            publisher_id, found = asyncio.run(follow(store, settings, url))
        except WartaError as exc:
            raise click.ClickException(_hinted(str(exc))) from exc
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
            sys.exit(130)
    click.echo(f"following {found.name} ({found.home_url}) as publisher {publisher_id}")
    for source_url, kind in found.sources:
        click.echo(f"  {kind:<13} {source_url}")


@click.command("unfollow")
@click.argument("publisher")
@click.pass_context
def unfollow_command(ctx: click.Context, publisher: str) -> None:
    """Stop following a publisher (by id, home URL, host or name); its articles stay."""
    with open_store(ctx) as store:
        found = store.find_publisher(publisher)
        if found is None:
            raise click.ClickException(f"no publisher {publisher!r}")
        store.set_followed(found.id, False)
    click.echo(f"no longer following {found.name}")


@click.command("publishers")
@click.pass_context
def publishers_command(ctx: click.Context) -> None:
    """List the publishers, their sources and each source's health, then why their pages are not stored."""
    console = Console()
    with open_store(ctx) as store:
        table = Table("id", "publisher", "following", "source", "last success", "failures", "articles/day")
        names: dict[int | None, str] = {None: "(no publisher)"}
        for publisher in store.publishers():
            names[publisher.id] = publisher.name
            who = [str(publisher.id), publisher.name, "yes" if publisher.crawled else "no"]
            health = store.health(publisher.id)
            if not health:
                table.add_row(*who, "", "", "", "")
            for source in health:
                table.add_row(*who, *_health_cells(source))
                who = ["", "", ""]  # the publisher's columns only on its first row
        console.print(table)
        reasons = store.frontier_reasons()
    if reasons:
        console.print(_reasons_table(reasons, names))


# How the frontier's states read in the reasons table: what became of the URL.
STATE_WORDS = {QUEUED: "waiting (queued)", FAILED: "given up", SKIPPED: "skipped", FETCHING: "being fetched"}


def _reasons_table(reasons: list[tuple[int | None, str, str, int]], names: dict[int | None, str]) -> Table:
    """Per publisher, the URLs not stored and why: the reasons a crawl counted, as the frontier keeps them."""
    table = Table("publisher", "pages", "state", "reason", title="Pages not stored, by reason")
    for publisher_id, state, reason, count in sorted(reasons, key=lambda row: (str(names.get(row[0], "")), -row[3])):
        name = names.get(publisher_id, str(publisher_id))
        table.add_row(name, str(count), STATE_WORDS.get(state, state), _hinted(reason))
    return table


def _health_cells(source: SourceHealth) -> list[str]:
    failures = str(source.consecutive_failures) + (f" ({source.last_error})" if source.last_error else "")
    return [
        f"{source.kind} {source.url}",
        _local_time(source.last_success_at),
        failures,
        f"{source.articles_per_day:.1f}",
    ]


def _local_time(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


@click.command("crawl")
@click.argument("urls", nargs=-1)
@click.option("--once", is_flag=True, help="One round: poll the sources, fetch what they list, stop.")
@click.option("--interval", type=float, default=DEFAULT_INTERVAL, show_default=True, help="Seconds between rounds.")
@click.option("--archive", "archive_dir", type=click.Path(file_okay=False), help="WARC directory [data dir].")
@click.option("--no-archive", is_flag=True, help="Do not keep the responses in WARC files.")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Extraction processes [all cores].")
@click.option("--wait", is_flag=True, help="When another crawl holds the store, wait for it instead of stopping.")
@fetch_options
@click.pass_context
def crawl_command(
    ctx: click.Context,
    urls: tuple[str, ...],
    once: bool,
    interval: float,
    archive_dir: str | None,
    no_archive: bool,
    workers: int | None,
    wait: bool,
    rate: float,
    robots: bool,
    allow_private: bool,
    contact: str | None,
    timeout: float | None,
) -> None:
    """Fetch the new articles of the followed publishers, and any article URLS given; a killed crawl resumes
    where it stopped.

    Only a failure of the run itself (the store, the arguments) ends it with a non-zero status; what servers
    and pages do is counted in the summary, by reason (see `warta publishers`). Another crawl of the same
    store makes this one stop with status 75, or wait with --wait.
    """
    directory = None if no_archive else Path(archive_dir or Path(user_data_dir("warta", appauthor=False)) / "warc")
    settings = CrawlSettings(_fetch_settings(rate, robots, allow_private, contact, timeout), directory, workers)
    with open_store(ctx) as store, progress() as tick:
        if urls:
            queued = queue_urls(store, urls)
            click.echo(f"queued {queued} of {len(urls)} URLs (the others were known)", err=True)
        try:
            if once:
                summary = asyncio.run(_crawl_once(store, settings, tick, wait))
                click.echo(summary.line(), err=True)
                if summary.skipped[Reason.PRIVATE_ADDRESS]:
                    click.echo(PRIVATE_HINT, err=True)
                assign_new_stories(store, tick)
            else:
                asyncio.run(crawl(store, settings, interval, tick, wait=wait))
        except StoreBusy as exc:
            click.echo(f"Error: {exc}; pass --wait to wait for it", err=True)
            sys.exit(EXIT_BUSY)
        except (WartaError, SQLAlchemyError) as exc:
            raise click.ClickException(f"the crawl stopped: {exc}") from exc
        except KeyboardInterrupt:
            click.echo("stopped; the next crawl resumes where this one was", err=True)
            sys.exit(130)


async def _crawl_once(store: Store, settings: CrawlSettings, tick: Progress, wait: bool) -> Summary:
    async with crawl_lease(store, wait=wait) as lease:
        return await crawl_once(store, settings, tick, lease=lease)


@click.command("import")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--host", "hosts", multiple=True, help="Only these hosts (and their subdomains) [WARC only].")
@click.option("--since", help="Only responses archived at or after this date (ISO 8601) [WARC only].")
@click.option("--until", help="Only responses archived before this date [WARC only].")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Extraction processes [all cores].")
@click.pass_context
def import_command(
    ctx: click.Context, inputs: tuple[str, ...], hosts: tuple[str, ...], since: str | None, until: str | None,
    workers: int | None,
) -> None:  # fmt: skip
    """Import articles into the store: from web archives (WARC files, CC-NEWS) and from saved HTML pages
    (files, .gz files, directories of either or both), the pages keyed by their canonical URL. Running it
    again over the same inputs adds nothing twice, so an interrupted import is finished by running it again."""
    warcs = archives_in(inputs)
    pages = pages_in(inputs)
    first_page = next(pages, None)
    summaries: list[Summary] = []
    with open_store(ctx) as store, progress() as tick, stopping("import"):
        if warcs:
            summary = import_warc(
                store, warcs, hosts=hosts or None, since=when(since), until=when(until), workers=workers,
                progress=tick,
            )  # fmt: skip
            click.echo(summary.line(), err=True)
            summaries.append(summary)
        if first_page is not None:
            summary = import_pages(store, chain([first_page], pages), workers=workers, progress=tick)
            click.echo(summary.line(), err=True)
            summaries.append(summary)
        assign_new_stories(store, tick)
    _exit_on_errors(summaries, "inputs or records could not be imported")


@click.command("reextract")
@click.option("-j", "--workers", type=click.IntRange(min=1), help="Extraction processes [all cores].")
@click.pass_context
def reextract_command(ctx: click.Context, workers: int | None) -> None:
    """Rebuild every article from the archived responses with this version of the extractor; articles whose
    extraction did not change are left as they are."""
    with open_store(ctx) as store, progress() as tick, stopping("reextract"):
        summary = reextract(store, workers, tick)
        click.echo(summary.line(), err=True)
        assign_new_stories(store, tick)
    _exit_on_errors([summary], "archived responses or archive files could not be re-extracted")


def _exit_on_errors(summaries: list[Summary], what: str) -> None:
    """Exit 1, saying how many, when a batch counted failures (skips, such as listings, are not failures)."""
    failed = sum(summary.errors.total() for summary in summaries)
    if failed:
        click.echo(f"error: {failed} {what}", err=True)
        sys.exit(1)


@click.command("stories")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Stories listed.")
@click.pass_context
def stories_command(ctx: click.Context, limit: int) -> None:
    """Put the articles that have no story yet in their stories, then list the newest stories."""
    with open_store(ctx) as store, progress() as tick:
        try:
            summary = assign_stories(store, progress=tick)
        except WartaError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(summary.line(), err=True)
        found = store.stories(limit=limit)
    table = Table("story", "updated", "reports", "languages", "headline")
    for story in found:
        copies = f" (+{story.copies} copies)" if story.copies else ""
        when = story.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        table.add_row(str(story.id), when, f"{story.reports}{copies}", ", ".join(story.languages), story.headline or "")
    Console().print(table)


COMMANDS = (
    follow_command,
    unfollow_command,
    publishers_command,
    crawl_command,
    import_command,
    reextract_command,
    stories_command,
)
