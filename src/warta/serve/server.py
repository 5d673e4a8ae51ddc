"""Running the reader under uvicorn, in one process or several.

Several processes share one listening socket that uvicorn opens in the parent. The workers rebuild it from
its file descriptor, and asyncio then does not see it as TCP and leaves Nagle's algorithm on for the
connections it accepts: on a kept-alive connection every answer waited about 40 ms for the client's delayed
acknowledgement (measured: 44 ms per request for a static file with two workers, 1.4 ms with one). Linux
hands TCP_NODELAY from a listening socket down to the sockets it accepts, so it is set there.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from warta.serve.app import ENV_DATABASE, ENV_TOKENS, create_app
from warta.store import Store

# Longer than uvicorn's 5 s: a client reusing a connection the server is just closing gets a read error, not
# an answer, and API clients keep connections open between bursts.
KEEP_ALIVE_SECONDS = 30


class _NoDelayConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


def run(store: Store, *, host: str, port: int, workers: int, tokens_required: bool, access_log: bool = False) -> None:
    """Serve the reader over `store` until interrupted; raises OSError when the address cannot be used."""
    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": "warning", "access_log": access_log,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }  # fmt: skip
    if workers == 1:
        uvicorn.run(create_app(store, tokens_required=tokens_required), **options)
        return
    # Worker processes import the app by name and open the store themselves.
    os.environ[ENV_DATABASE] = store.engine.url.render_as_string(hide_password=False)
    os.environ[ENV_TOKENS] = "1" if tokens_required else "0"
    config = _NoDelayConfig("warta.serve.app:app_from_environment", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
