"""Every number a request can carry, at every address of the route table: no value makes the reader fail.

Ids, offsets, the publisher filter and the keys inside cursors go to the database as integers (ids are 32-bit
in PostgreSQL); a number beyond that range, below zero, or not a number at all is a client's mistake (400 on
a page, FastAPI's 422 on the API, 404 for an id no row can have), never a 500.
"""

from __future__ import annotations

import base64
import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin
from urllib.parse import quote, urlencode

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from warta.serve import create_app
from warta.store import Store

from ..search.corpus import fill
from .conftest import BASE_URL

HUGE = 10**30
INT64_MAX = 2**63 - 1
NUMBERS = (
    str(HUGE), str(-HUGE), str(INT64_MAX + 1), str(-INT64_MAX - 2), str(INT64_MAX), "-1", "0", "1e309", "nan",
    "inf", "0x10", "abc", "", " ", "١٢٣", "１２", "12\u00a0", "💥", "\x00", "1" * 5000,
)  # fmt: skip
# Cursors are base64 of "time|key": the key is a number too, and the time a value the database compares.
CURSOR_TIMES = ("", "2022-01-20T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00")
CURSOR_KEYS = ("1", str(HUGE), str(-HUGE), str(INT64_MAX + 1), "-1", "x")


def cursors() -> Iterator[str]:
    for moment in CURSOR_TIMES:
        for key in CURSOR_KEYS:
            yield base64.urlsafe_b64encode(f"{moment}|{key}".encode()).decode().rstrip("=")
    yield from ("", "!!!", "%%", "fA", "\x00", "💥")


def numeric(annotation: Any) -> bool:
    """Whether a parameter is an integer (or an optional one)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return any(numeric(arg) for arg in get_args(annotation))
    return annotation is int


def dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from dependants(sub)


def swept_parameters(route: APIRoute) -> Iterator[tuple[str, str]]:
    """(where, name) of every parameter of `route` that carries a number: path and query integers and cursors."""
    for dependant in dependants(route.dependant):
        for where, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
            for field in fields:
                if numeric(field.field_info.annotation) or field.name == "cursor":
                    yield where, field.name


def baseline(route: APIRoute, article: str) -> tuple[dict[str, str], dict[str, str]]:
    """Path and query values with which `route` answers normally, for the parameters not swept."""
    path = {"article_id": article, "publisher_id": "1", "story_id": "1", "kind": "atom"}
    query = {"q": "csto"} if "search" in route.path else {}
    return path, query


def call(client: TestClient, method: str, route: APIRoute, path: dict[str, str], query: dict[str, str]) -> int:
    address = route.path.format(**{name: quote(value, safe="") for name, value in path.items()})
    url = address + ("?" + urlencode(query) if query else "")
    form = {"followed": "1"} if method == "POST" else None
    return client.request(method, url, data=form, follow_redirects=False).status_code


@pytest.fixture
def swept(store: Store) -> tuple[TestClient, str]:
    ids = fill(store)
    return TestClient(create_app(store), base_url=BASE_URL, raise_server_exceptions=False), ids["kazakhstan-csto"]


def test_no_number_in_any_parameter_of_any_route_makes_a_server_error(swept: tuple[TestClient, str]) -> None:
    client, article = swept
    routes = [route for route in client.app.routes if isinstance(route, APIRoute)]  # type: ignore[attr-defined]
    failures: list[str] = []
    swept_count = 0
    with client:
        for route in routes:
            for where, name in swept_parameters(route):
                values = cursors() if name == "cursor" else iter(NUMBERS)
                for value in values:
                    if where == "path" and value in ("", " ", "\x00"):
                        continue  # an empty path segment is another address, not this parameter
                    for method in sorted(route.methods):
                        path, query = baseline(route, article)
                        (path if where == "path" else query)[name] = value
                        status = call(client, method, route, path, query)
                        swept_count += 1
                        if status >= 500:
                            failures.append(f"{method} {route.path} {name}={value[:40]!r}: {status}")
    assert not failures, "\n".join(failures)
    # The sweep reaches every numeric parameter the reader has: ids, filters, offsets, limits and cursors.
    assert swept_count > 500


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/api/v1/publishers/{HUGE}", 404),
        (f"/publishers/{HUGE}", 404),
        (f"/api/v1/stories/{-HUGE}", 404),
        (f"/feeds/stories/{INT64_MAX + 1}.atom", 404),
        (f"/search?q=csto&offset={HUGE}", 400),
        ("/search?q=csto&offset=-1", 400),
        (f"/?publisher={HUGE}", 400),
        (f"/api/v1/search?q=csto&offset={HUGE}", 422),
        (f"/api/v1/articles?publisher={HUGE}", 422),
    ],
)
def test_out_of_range_numbers_are_no_such_row_or_a_bad_parameter(
    swept: tuple[TestClient, str], path: str, status: int
) -> None:
    client, _ = swept
    assert client.get(path).status_code == status


def test_a_cursor_with_an_out_of_range_key_is_a_bad_cursor(swept: tuple[TestClient, str]) -> None:
    client, _ = swept
    cursor = base64.urlsafe_b64encode(f"2022-01-20T00:00:00+00:00|{HUGE}".encode()).decode()
    for path in ("/api/v1/articles", "/api/v1/stories", "/api/v1/publishers/1"):
        response = client.get(path, params={"cursor": cursor})
        assert response.status_code == 400, path
        assert response.json() == {"detail": "not a cursor of this reader"}


def test_follows_of_ids_no_row_can_have_are_not_found(swept: tuple[TestClient, str], store: Store) -> None:
    client, _ = swept
    assert client.put(f"/api/v1/publishers/{HUGE}/follow").status_code == 404
    assert client.delete(f"/api/v1/stories/{-HUGE}/follow").status_code == 404
    assert client.post(f"/publishers/{HUGE}/follow", data={"followed": "1"}).status_code == 404
    assert store.followed_ids() == set()
