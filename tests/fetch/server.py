"""A real HTTP server on 127.0.0.1 for the fetcher's tests: routes are plain functions, every hit is logged.

The server runs in a background thread (`ThreadingHTTPServer`), so a handler may sleep or stall without
blocking the event loop the fetcher runs in. Handlers that wait do so on `server.stop`, which is set at
teardown, so no test leaves a thread hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from warta.fetch import FetchSettings

Route = Callable[["Handler"], None]


@dataclass
class Hit:
    path: str
    at: float  # time.monotonic() when the request line arrived
    headers: dict[str, str]


@dataclass
class Server:
    """The running server: its routes, its log of hits, and an event that releases stalled handlers."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    notes: dict[str, Any] = field(default_factory=dict)  # what handlers want the test to know

    def url(self, path: str) -> str:
        return self.base + path

    def hits_on(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(handler: Route) -> Route:
            self.routes[path] = handler
            return handler

        return register


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, as real servers speak
    # Headers and body go out in separate writes; with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server_state: Server

    def do_GET(self) -> None:
        state = self.server_state
        path = self.path
        state.hits.append(Hit(path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
        route = state.routes.get(path)
        if route is None:
            self.reply(404, b"not found", content_type="text/plain")
        else:
            route(self)

    def reply(
        self, status: int, body: bytes = b"", *, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        """Send a complete response; `headers` use underscores for dashes (Retry_After=...)."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[Server]:
    """Run a server on a free port of `host` (127.0.0.1; any 127.x address is loopback too, and a host of
    its own for politeness) for the duration of the block."""
    httpd = ThreadingHTTPServer((host, 0), Handler)
    httpd.daemon_threads = True
    state = Server(base=f"http://{host}:{httpd.server_port}")
    httpd.RequestHandlerClass = type("BoundHandler", (Handler,), {"server_state": state})
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def settings(**overrides: Any) -> FetchSettings:
    """Settings for loopback tests: 127.0.0.1 let through, no rate limit, short timeouts and backoffs."""
    values: dict[str, Any] = {
        "allowed_networks": ("127.0.0.1/32",),
        "rate_per_host": None,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "exchange_timeout": 3.0,
        "max_retries": 1,
        "backoff_base": 0.05,
        "max_retry_after": 2.0,
    }
    values.update(overrides)
    return FetchSettings(**values)


def redirect(status: int, location: str) -> Route:
    """A route answering with a redirect to `location`."""
    return lambda handler: handler.reply(status, Location=location)


def page(title: str = "Hello") -> bytes:
    return f"<!doctype html><html><head><title>{title}</title></head><body><p>{title}</p></body></html>".encode()


def stream_forever(handler: Handler, content_type: str = "text/html", chunk: int = 64 * 1024) -> None:
    """Send an endless chunked body until the client hangs up; note how much went out before it did."""
    state = handler.server_state
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    sent = 0
    data = b"<p>" + b"x" * (chunk - 7) + b"</p>"
    frame = f"{len(data):x}\r\n".encode() + data + b"\r\n"
    try:
        while not state.stop.is_set() and sent < 512 * 1024 * 1024:
            handler.wfile.write(frame)
            sent += len(data)
    except OSError:
        state.notes["hung_up"] = True
    finally:
        state.notes["sent"] = sent
        handler.close_connection = True
        state.notes.setdefault("stream_done", threading.Event()).set()
