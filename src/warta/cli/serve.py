"""The reader's commands: `serve` and the `user` group of a shared reader."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from warta.cli.common import open_store
from warta.errors import WartaError
from warta.extras import check

DEFAULT_PORT = 8000


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "-w", "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Server processes; each serves requests on its own core.",
)  # fmt: skip
@click.option("--access-log/--no-access-log", default=False, help="Log every request.")
@click.option(
    "--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
    help="Also answer requests for this host name (repeatable; `*.example.org` for its subdomains). The "
    "loopback names and the address it listens on are always answered; other names get 400.",
)  # fmt: skip
@click.pass_context
def serve_command(
    ctx: click.Context, host: str, port: int, workers: int, access_log: bool, allowed_hosts: tuple[str, ...]
) -> None:
    """Serve the web reader, its JSON API and feeds.

    On a loopback address (the default) the reader is yours alone, without login. On any other address every
    request needs a user's API token (see `warta user add`).
    """
    try:
        check("serve", "warta serve")
    except WartaError as exc:
        raise click.ClickException(str(exc)) from exc
    # Imported here: the web stack is an extra, loaded only by the command that uses it.
    from warta.serve import access, server

    try:
        names = access.allowed_hosts(host, allowed_hosts)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allowed-host") from exc
    tokens_required = not access.is_loopback(host)
    with open_store(ctx) as store:
        if tokens_required and not any(user.has_token for user in store.users()):
            raise click.ClickException(
                f"serving on {host} needs API tokens, and no user has one: run `warta user add NAME` first"
            )
        try:
            sock = server.listen(host, port)
        except OSError as exc:  # socket.gaierror (an unknown host name) is one too
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
        with sock:
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"Warta reader on http://{shown}:{sock.getsockname()[1]}/ (Ctrl-C stops it)", err=True)
            if access.host_name(host) is None:
                click.echo(f"It answers requests for: {', '.join(names)}", err=True)
            server.run(
                store,
                sock,
                workers=workers,
                tokens_required=tokens_required,
                allowed_hosts=names,
                access_log=access_log,
            )


@click.group("user")
def user_group() -> None:
    """Users of a shared reader (one served on an address other than loopback)."""


@user_group.command("add")
@click.argument("name")
@click.pass_context
def user_add_command(ctx: click.Context, name: str) -> None:
    """Add a user, or give an existing one a new token; prints the token once."""
    with open_store(ctx) as store:
        token = store.add_user(name)
    click.echo(token)
    click.echo(f"API token for {name}: keep it; only its digest is stored", err=True)


@user_group.command("list")
@click.pass_context
def user_list_command(ctx: click.Context) -> None:
    """List the users."""
    with open_store(ctx) as store:
        users = store.users()
    table = Table("id", "name", "token")
    for user in users:
        table.add_row(str(user.id), user.name, "yes" if user.has_token else "no (local)")
    Console().print(table)


COMMANDS = (serve_command, user_group)
