"""What every request passes before a view: its Host (DNS rebinding), its body's size, NUL characters, and
on a shared reader its token, checked before any of the body is read."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from warta.serve import create_app
from warta.serve.access import allowed_hosts, host_name, host_pattern
from warta.serve.guards import MAX_BODY_BYTES
from warta.store import Store

from .conftest import BASE_URL, WATCHDOG_SECONDS, served

FOREIGN = {"Host": "evil.example:8000", "Origin": "http://evil.example:8000"}
BOUNDARY = "warta-test-boundary"


def multipart(size: int) -> bytes:
    """A form with the star's field and a file of `size` bytes, as a browser would post an upload."""
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="followed"\r\n\r\n1\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


FORM_TYPE = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


class Counting:
    """The app, counting the bytes of request bodies it takes in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


# ---------------------------------------------------------------------------------------------- Host


def test_a_page_of_another_site_cannot_reach_the_reader_by_dns_rebinding(
    client: TestClient, filled: tuple[Store, Any]
) -> None:
    # The rebinding page's requests carry its own name, in Host and in a matching Origin.
    assert client.put("/api/v1/publishers/1/follow", headers=FOREIGN).status_code == 400
    assert client.post("/publishers/1/follow", data={"followed": "1"}, headers=FOREIGN).status_code == 400
    assert filled[0].followed_ids() == set()
    gets = [route for route in client.app.routes if isinstance(route, APIRoute) and "GET" in route.methods]  # type: ignore[attr-defined]
    for route in gets:
        path = route.path.format(article_id="0123456789abcdef", publisher_id=1, story_id=1, kind="atom")
        assert client.get(path, headers=FOREIGN).status_code == 400, path
    assert client.get("/static/warta.css", headers=FOREIGN).status_code == 400
    # The names a browser on this machine uses, with a port or without.
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST", "127.0.0.1"):
        assert client.get("/api/v1/articles", headers={"Host": host}).status_code == 200, host
    assert client.put("/api/v1/publishers/1/follow", headers={"Host": "localhost:8000"}).status_code == 200


def test_a_reader_answers_the_names_it_is_given(store: Store) -> None:
    app = create_app(store, allowed_hosts=["reader.lan", "*.example.org", "192.168.1.5"])
    with TestClient(app, base_url=BASE_URL) as client:
        for host in ("reader.lan", "news.example.org:8000", "192.168.1.5:8000", "localhost"):
            assert client.get("/api/v1/articles", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "example.org", "reader.lan.evil.example", "192.168.1.6"):
            assert client.get("/api/v1/articles", headers={"Host": host}).status_code == 400, host


def test_the_names_a_reader_is_known_by() -> None:
    # The bound address is one, unless it is a wildcard: then a name must be given.
    assert allowed_hosts("192.168.1.5") == ["localhost", "127.0.0.1", "[::1]", "192.168.1.5"]
    assert allowed_hosts("0.0.0.0") == allowed_hosts("::") == allowed_hosts("127.0.0.1")
    given = allowed_hosts("::", ["Reader.LAN", "fe80::1"])
    assert given == ["localhost", "127.0.0.1", "[::1]", "reader.lan", "[fe80::1]"]
    assert host_name("fe80::0001") == "[fe80::1]"
    assert host_name("0.0.0.0") is None
    for bad in ("reader.lan:8000", "http://reader.lan", "read*er.lan", "", "reader lan"):
        with pytest.raises(ValueError, match="not a host name"):
            host_pattern(bad)


# ---------------------------------------------------------------------------------------------- bodies


@pytest.fixture
def shared(filled: tuple[Store, Any]) -> tuple[Counting, str]:
    """A shared reader (tokens required) counting what it reads, and a user's token."""
    store = filled[0]
    return Counting(create_app(store, tokens_required=True)), store.add_user("ana")


def test_a_stranger_s_upload_is_refused_before_any_of_it_is_read(shared: tuple[Counting, str]) -> None:
    app, token = shared
    with TestClient(app, base_url=BASE_URL) as client:
        for size in (10, MAX_BODY_BYTES // 2):
            response = client.post(
                "/publishers/1/follow", content=multipart(size), headers=FORM_TYPE, follow_redirects=False
            )
            assert response.status_code == 303  # to the sign-in page
            assert response.headers["location"].startswith("/login")
            assert client.put("/api/v1/publishers/1/follow", content=multipart(size)).status_code == 401
        assert app.read == 0
        # Beyond the cap, the size alone refuses it, token or not.
        huge = multipart(8 * MAX_BODY_BYTES)
        assert client.post("/publishers/1/follow", content=huge, headers=FORM_TYPE).status_code == 413
        bearer = {"Authorization": f"Bearer {token}", **FORM_TYPE}
        assert client.post("/publishers/1/follow", content=huge, headers=bearer).status_code == 413
        assert client.post("/login", content=huge, headers=FORM_TYPE).status_code == 413
        assert app.read == 0
        # A signed-in user's form is read and acted on.
        response = client.post("/publishers/1/follow", content=multipart(10), headers=bearer, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/publishers/1"
        assert app.read > 0


def asgi_post(app: ASGIApp, path: str, chunks: list[bytes], headers: dict[str, str]) -> tuple[int, int]:
    """POST `chunks` as a streamed body without Content-Length; the status and how many chunks were taken."""
    taken = 0
    status = 0

    async def receive() -> Message:
        nonlocal taken
        if taken == len(chunks):
            return {"type": "http.disconnect"}
        taken += 1
        return {"type": "http.request", "body": chunks[taken - 1], "more_body": taken < len(chunks)}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope: Scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    anyio.run(app, scope, receive, send)
    return status, taken


def test_a_streamed_body_is_counted_and_cut_at_the_cap(shared: tuple[Counting, str]) -> None:
    app, token = shared
    chunk = 4096
    body = multipart(16 * MAX_BODY_BYTES)
    chunks = [body[start : start + chunk] for start in range(0, len(body), chunk)]
    headers = {"Host": "localhost", "Authorization": f"Bearer {token}", **FORM_TYPE}
    status, taken = asgi_post(app, "/publishers/1/follow", chunks, headers)
    assert status == 413
    # Reading stops at the first chunk past the cap, not at the end of the body.
    assert taken == MAX_BODY_BYTES // chunk + 1
    assert taken < len(chunks)


@pytest.fixture
def live(shared: tuple[Counting, str]) -> Iterator[tuple[int, Counting]]:
    with served(shared[0]) as port:
        yield port, shared[0]


def test_a_declared_500_mb_upload_is_refused_before_its_body_is_sent(live: tuple[int, Counting]) -> None:
    port, app = live
    head = (
        "POST /publishers/1/follow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {500 * 2**20}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=WATCHDOG_SECONDS) as client:
        client.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            received = client.recv(4096)
            assert received, "the server closed the connection without answering"
            answer += received
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert app.read == 0


# ---------------------------------------------------------------------------------------------- NUL and tokens


def test_a_nul_character_in_an_address_is_a_bad_request(client: TestClient) -> None:
    for path in (
        "/api/v1/articles?language=%00", "/api/v1/articles/%00abcd", "/api/v1/search?q=csto&language=id%00",
        "/search?q=%00", "/publishers/1?cursor=%00",
    ):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.text
    # An encoded percent sign is no NUL.
    assert client.get("/api/v1/search", params={"q": "%00"}).status_code == 200


def test_a_shared_reader_serves_only_sign_in_and_its_assets_without_a_token(filled: tuple[Store, Any]) -> None:
    with TestClient(create_app(filled[0], tokens_required=True), base_url=BASE_URL) as client:
        for path in ("/login", "/static/warta.css", "/api/v1/openapi.json"):
            assert client.get(path).status_code == 200, path
        assert client.post("/logout", follow_redirects=False).status_code == 303
        assert client.get("/api/v1/nothing-here").status_code == 401
        assert client.get("/feeds/following.rss").status_code == 401
        page = client.get("/publishers/1", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=%2Fpublishers%2F1"
