"""The commands that read the store: `articles`, `show`, `search` and `export`.

Articles are named by their one public id (16 hex digits, or any unique prefix of them), as in the reader,
the API and exports; `show` also takes a canonical or fetched URL.
"""

from __future__ import annotations

import json
import sys
from html import unescape
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from warta.cli.common import filter_options, open_store, publisher_id, short_time, when
from warta.errors import WartaError
from warta.jobs import export
from warta.jobs.export import FORMATS as EXPORT_FORMATS
from warta.models import StoredArticle
from warta.render import FORMATS, render
from warta.search import EmptyQuery, highlight, parse
from warta.store import COUNT_CAP

# A terminal table has room for a short passage.
CLI_SNIPPET_WORDS = 14


def _id_column(table: Table) -> None:
    # Never cut: an id cut by a narrow terminal would name no article.
    table.add_column("id", no_wrap=True, min_width=16)


def _record(stored: StoredArticle) -> dict[str, object]:
    return {"id": stored.id, "version": stored.version, **stored.article.to_dict()}


@click.command("articles")
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def articles_command(
    ctx: click.Context, publisher: str | None, language: str | None, since: str | None, until: str | None,
    limit: int, offset: int, fmt: str,
) -> None:  # fmt: skip
    """List stored articles, newest first."""
    with open_store(ctx) as store:
        found = store.articles(
            publisher_id=publisher_id(store, publisher), language=language, since=when(since), until=when(until),
            limit=limit, offset=offset,
        )  # fmt: skip
    if fmt == "jsonl":
        for stored in found:
            click.echo(json.dumps(_record(stored), ensure_ascii=False))
        return
    table = Table()
    _id_column(table)
    for name in ("published", "publisher", "title"):
        table.add_column(name)
    for stored in found:
        name = stored.publisher.name if stored.publisher else ""
        table.add_row(stored.id, short_time(stored.published), name, stored.title or "")
    Console().print(table)


@click.command("show")
@click.argument("key")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.pass_context
def show_command(ctx: click.Context, key: str, fmt: str) -> None:
    """Show one stored article, by its id (or a unique prefix of it) or its URL."""
    with open_store(ctx) as store:
        try:
            stored = store.article(key)
        except WartaError as exc:
            raise click.ClickException(str(exc)) from exc
    if stored is None:
        raise click.ClickException(f"no article {key!r}")
    click.echo(render(stored.article, fmt, True), nl=False)


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@filter_options
@click.option("--newest", is_flag=True, help="Newest first instead of best match first.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def search_command(
    ctx: click.Context, words: tuple[str, ...], publisher: str | None, language: str | None, since: str | None,
    until: str | None, newest: bool, limit: int, fmt: str,
) -> None:  # fmt: skip
    """Search the stored articles: all WORDS must match, "quoted words" as a phrase, -word excludes."""
    with open_store(ctx) as store:
        try:
            query = parse(" ".join(words), [language] if language else store.languages())
        except EmptyQuery as exc:
            raise click.ClickException(str(exc)) from exc
        total, hits = store.search(
            query, publisher_id=publisher_id(store, publisher), language=language, since=when(since),
            until=when(until), newest_first=newest, limit=limit,
        )  # fmt: skip
    if fmt == "jsonl":
        for stored, rank in hits:
            published = stored.published.isoformat() if stored.published else None
            record = {"id": stored.id, "rank": round(-rank, 6), "title": stored.title, "url": stored.url}
            click.echo(json.dumps({**record, "published": published}, ensure_ascii=False))
    else:
        table = Table()
        _id_column(table)
        for name in ("published", "publisher", "title", "match"):
            table.add_column(name)
        wanted = query.terms()
        for stored, _ in hits:
            text, language_of = stored.article.text, stored.language
            passage = " ".join(highlight.snippet(text, language_of, wanted, CLI_SNIPPET_WORDS).split())
            passage = passage.replace("<mark>", "[bold]").replace("</mark>", "[/bold]")
            name = stored.publisher.name if stored.publisher else ""
            table.add_row(stored.id, short_time(stored.published), name, stored.title or "", _unescape(passage))
        Console().print(table)
    click.echo(f"{total if total < COUNT_CAP else f'at least {COUNT_CAP:,}'} matching articles", err=True)


def _unescape(marked: str) -> str:
    # The snippet is HTML: unescape it, keep the bold marks as rich markup and escape the rest for rich.
    parts = marked.split("[bold]")
    out = [escape(unescape(parts[0]))]
    for part in parts[1:]:
        inner, _, rest = part.partition("[/bold]")
        out.append(f"[bold]{escape(unescape(inner))}[/bold]{escape(unescape(rest))}")
    return "".join(out)


@click.command("export")
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The file to write [stdout; Parquet: needed].")
@filter_options
@click.pass_context
def export_command(
    ctx: click.Context, fmt: str, output: str | None, publisher: str | None, language: str | None,
    since: str | None, until: str | None,
) -> None:  # fmt: skip
    """Export stored articles for research: JSON Lines, Parquet or CSV, with stable ids and provenance."""
    if fmt == "parquet" and output is None:
        raise click.UsageError("Parquet needs a file: --output FILE")
    with open_store(ctx) as store:
        found = store.iter_articles(
            publisher_id=publisher_id(store, publisher), language=language, since=when(since), until=when(until)
        )
        target = Path(output) if output is not None else sys.stdout
        try:
            count = export(found, fmt, target)
        except WartaError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            raise click.ClickException(f"{output}: {exc.strerror or exc}") from exc
    click.echo(f"exported {count} articles", err=True)


COMMANDS = (articles_command, show_command, search_command, export_command)
