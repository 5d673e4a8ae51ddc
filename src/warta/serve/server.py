"""Running the reader under uvicorn, in one process or several.

The listening socket is opened here (`listen`), before uvicorn starts: the command can then say which port
it got when asked for port 0, and a busy address is an OSError to report rather than uvicorn's own exit.

Several processes share that one socket. The workers rebuild it from its file descriptor, and asyncio then
does not see it as TCP and leaves Nagle's algorithm on for the connections it accepts: on a kept-alive
connection every answer waited about 40 ms for the client's delayed acknowledgement (measured: 44 ms per
request for a static file with two workers, 1.4 ms with one). Linux hands TCP_NODELAY from a listening
socket down to the sockets it accepts, so it is set there.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from warta.serve.app import ENV_DATABASE, ENV_HOSTS, ENV_TOKENS, create_app
from warta.store import Store

# Longer than uvicorn's 5 s: a client reusing a connection the server is just closing gets a read error, not
# an answer, and API clients keep connections open between bursts.
KEEP_ALIVE_SECONDS = 30


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host` and `port` (0: a free port, see `getsockname`); raises OSError when the
    address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host.strip("[]"), port))
        # Listening from here on, connections wait in the queue while the app starts: the address the
        # command prints answers as soon as it is printed. Uvicorn listens again with its own backlog.
        sock.listen()
    except OSError:
        sock.close()
        raise
    # Worker processes are handed the socket's file descriptor.
    sock.set_inheritable(True)
    return sock


def run(
    store: Store,
    sock: socket.socket,
    *,
    workers: int,
    tokens_required: bool,
    allowed_hosts: Sequence[str] = (),
    access_log: bool = False,
) -> None:
    """Serve the reader over `store` on `sock` (from `listen`) until interrupted; `allowed_hosts` are the
    host names it answers to besides the loopback ones."""
    options: dict[str, Any] = {
        "log_level": "warning",
        "access_log": access_log,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if workers == 1:
        app = create_app(store, tokens_required=tokens_required, allowed_hosts=allowed_hosts)
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[sock])
        return
    # Worker processes import the app by name and open the store themselves.
    os.environ[ENV_DATABASE] = store.engine.url.render_as_string(hide_password=False)
    os.environ[ENV_TOKENS] = "1" if tokens_required else "0"
    os.environ[ENV_HOSTS] = " ".join(allowed_hosts)
    config = uvicorn.Config("warta.serve.app:app_from_environment", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[sock]).run()
