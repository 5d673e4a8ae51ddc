"""Input written to break the reader: search syntax of every kind, and paths that climb out of its folders."""

from __future__ import annotations

import http.client
import random
from typing import Any

from fastapi.testclient import TestClient

from warta.serve import create_app
from warta.store import Store

from .conftest import WATCHDOG_SECONDS, served

QUERIES = 1_000
SEED = 18
# Words the corpus holds, so that some queries match and reach highlighting, snippets and paging.
WORDS = ("csto", "kerusuhan", "rusuh", "Almaty", "pasukan", "Kazakhstan", "DPR", "demonstran")
# What search boxes and query languages give meaning to, what SQL and tsquery literals quote, and text
# that is hard to split into words.
SYNTAX = (
    "OR", "AND", "NOT", "NEAR", "-", "+", "*", "~", "^", ":", "title:", "(", ")", '"', "'", "''", "\\", "&", "|",
    "!", "<->", ":*", "%", "_", "[", "]", "{", "}", ";", "--", "/*", "*/", "$$", "=id", "=", "@@", "?", "#",
    "1e309", "2022", "-0", "Ünïcödé", "中文新闻", "العربية", "🙂", "\u200b", "\ufeff", "e\u0301", "\u202e", "a" * 300,
    "'a'':*", "x'); DROP TABLE articles; --", "<script>alert(1)</script>", "&amp;", "\t", "\r\n",
)  # fmt: skip
LANGUAGES = (None, "id", "en", "zz", "'", "")
# Every this many queries, the page and the feed of the query are asked for as well as the API.
ALL_OUTPUTS_EVERY = 20


def query(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 8)):
        piece = rng.choice(WORDS + SYNTAX)
        shape = rng.random()
        if shape < 0.15:
            piece = "-" + piece
        elif shape < 0.3:
            piece = f'"{piece} {rng.choice(WORDS)}' + ('"' if rng.random() < 0.5 else "")
        pieces.append(piece)
    return rng.choice((" ", "", "  ")).join(pieces)


def test_a_thousand_search_queries_answer_without_a_server_error(client: TestClient) -> None:
    rng = random.Random(SEED)
    failures = []
    matched = 0
    for n in range(QUERIES):
        params: dict[str, Any] = {"q": query(rng), "sort": rng.choice(("relevance", "newest"))}
        if (language := rng.choice(LANGUAGES)) is not None:
            params["language"] = language
        response = client.get("/api/v1/search", params=params)
        if response.status_code != 200:
            failures.append(f"/api/v1/search {params!r}: {response.status_code}")
            continue
        matched += bool(response.json()["hits"])
        if n % ALL_OUTPUTS_EVERY == 0:
            for path in ("/search", "/feeds/search.atom", "/feeds/search.json"):
                status = client.get(path, params=params).status_code
                if status >= 500:
                    failures.append(f"{path} {params!r}: {status}")
    assert failures == []
    # Not only queries that find nothing: enough reach the hits' highlighting and snippets.
    assert matched > QUERIES // 20


# Paths that climb out of the static folder, or into the code or templates, as written and percent-encoded.
TRAVERSALS = (
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py",
    "/static/..%5capp.py", "/static/....//app.py", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/../templates/base.html", "/static/..",
    "/static/%2e%2e/templates/base.html", "/static/../../../../../../etc/passwd", "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/articles/..%2f..%2fetc%2fpasswd", "/api/v1/articles/..%2f..%2fapp.py",
    "/feeds/..%2f..%2fetc%2fpasswd.atom", "/feeds/stories/..%2f1.atom", "/static/warta.css/../../app.py",
)  # fmt: skip
# What the answer would hold if a file outside the static folder were served.
SECRETS = ("root:x:0:0", "def create_app", "{% extends", "{% block")


def test_no_path_leaves_the_static_folder(store: Store) -> None:
    with served(create_app(store)) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WATCHDOG_SECONDS)
        try:
            # The folder is served: the paths below are refused for where they lead, not because nothing is.
            connection.request("GET", "/static/warta.css")
            assert connection.getresponse().read()
            for path in TRAVERSALS:
                # http.client sends the path as written: no client-side removal of dot segments.
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read().decode("utf-8", "replace")
                assert response.status in (400, 404), path
                assert not [secret for secret in SECRETS if secret in body], path
        finally:
            connection.close()
