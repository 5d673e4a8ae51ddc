"""The `warta` commands of the reader: `serve`, `search` and `user`, a thin layer over `warta.serve` and the
store's search."""

from __future__ import annotations

import json
import socket
from html import unescape

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from warta.cli_crawl import _publisher_id, _store, _when
from warta.search import EmptyQuery, highlight, parse
from warta.search.index import COUNT_CAP

DEFAULT_PORT = 8000
# A terminal table has room for a short passage.
CLI_SNIPPET_WORDS = 14


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Server processes; each serves requests on its own core.",
)  # fmt: skip
@click.option("--access-log/--no-access-log", default=False, help="Log every request.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the web reader, its JSON API and feeds.

    On a loopback address (the default) the reader is yours alone, without login. On any other address every
    request needs a user's API token (see `warta user add`).
    """
    # Imported here: the web stack is only loaded by the command that uses it.
    from warta.serve import server
    from warta.serve.access import is_loopback

    tokens_required = not is_loopback(host)
    with _store(ctx) as store:
        if tokens_required and not any(row.token_sha256 for row in store.users()):
            raise click.ClickException(
                f"serving on {host} needs API tokens, and no user has one: run `warta user add NAME` first"
            )
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"Warta reader on http://{shown}:{port}/ (Ctrl-C stops it)", err=True)
        try:
            server.run(
                store, host=host, port=port, workers=workers, tokens_required=tokens_required, access_log=access_log
            )
        except (OSError, socket.gaierror) as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--publisher", help="Publisher id, home URL, host or name.")
@click.option("--language", help="Language code, e.g. id, en.")
@click.option("--since", help="Published at or after (ISO 8601).")
@click.option("--until", help="Published before (ISO 8601).")
@click.option("--newest", is_flag=True, help="Newest first instead of best match first.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def search_command(
    ctx: click.Context, words: tuple[str, ...], publisher: str | None, language: str | None, since: str | None,
    until: str | None, newest: bool, limit: int, fmt: str,
) -> None:  # fmt: skip
    """Search the stored articles: all WORDS must match, "quoted words" as a phrase, -word excludes."""
    with _store(ctx) as store:
        try:
            query = parse(" ".join(words), [language] if language else store.languages())
        except EmptyQuery as exc:
            raise click.ClickException(str(exc)) from exc
        total, hits = store.search(
            query, publisher_id=_publisher_id(store, publisher), language=language, since=_when(since),
            until=_when(until), newest_first=newest, limit=limit,
        )  # fmt: skip
    if fmt == "jsonl":
        for row, rank in hits:
            record = {"id": row.uid, "rank": round(-rank, 6), "title": row.title, "url": row.url}
            record["published"] = row.data.get("published")
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        table = Table("id", "published", "publisher", "title", "match")
        wanted = query.terms()
        for row, _ in hits:
            passage = " ".join(highlight.snippet(row.text, row.language, wanted, CLI_SNIPPET_WORDS).split())
            passage = passage.replace("<mark>", "[bold]")
            passage = passage.replace("</mark>", "[/bold]")
            published = (row.data.get("published") or "")[:16].replace("T", " ")
            table.add_row(row.uid, published, row.publisher or "", row.title or "", _unescape(passage))
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


@click.group("user")
def user_group() -> None:
    """Users of a shared reader (one served on an address other than loopback)."""


@user_group.command("add")
@click.argument("name")
@click.pass_context
def user_add_command(ctx: click.Context, name: str) -> None:
    """Add a user, or give an existing one a new token; prints the token once."""
    with _store(ctx) as store:
        token = store.add_user(name)
    click.echo(token)
    click.echo(f"API token for {name}: keep it; only its digest is stored", err=True)


@user_group.command("list")
@click.pass_context
def user_list_command(ctx: click.Context) -> None:
    """List the users."""
    with _store(ctx) as store:
        rows = store.users()
    table = Table("id", "name", "token")
    for row in rows:
        table.add_row(str(row.id), row.name, "yes" if row.token_sha256 else "no (local)")
    Console().print(table)


COMMANDS = (serve_command, search_command, user_group)
