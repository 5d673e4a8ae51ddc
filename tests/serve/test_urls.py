"""Stored URLs that are not web addresses reach no output of the reader: no page, feed or JSON carries them.

The rows are saved through the store's own API, as a program using the library could, so nothing of the
extractor's own filtering stands between them and the reader.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from warta.models import Article, Block, BlockKind, Fetched, Image, Person
from warta.serve import create_app
from warta.store import Store

from .conftest import BASE_URL

# Each names where it was stored, so a failure says which field leaked.
HOSTILE = {
    "canonical": "javascript:alert('canonical')",
    "fetched": "vbscript:msgbox('fetched')",
    "author": " JavaScript:alert('author')",
    "image": "data:text/html,<script>alert('image')</script>",
    "home": "java\tscript:alert('home')",
    "source": "javascript:alert('source')",
    "second canonical": "data:text/html;base64,PHNjcmlwdD5hbGVydCgyKTwvc2NyaXB0Pg==",
}
SCHEMES = ("javascript:", "vbscript:", "data:text", "java\tscript:", "java\\tscript:", "java&#9;script:")
WORD = "kerusuhan"  # in both articles, for the search outputs
AT = datetime(2024, 3, 2, tzinfo=UTC)


def save(store: Store, canonical: str, url: str, publisher: int | None = None) -> None:
    """An article at `canonical`, fetched from `url`, saved as the crawler saves one."""
    store.save(hostile_article(canonical, url), Fetched(url, url, 200, fetched_at=AT), publisher_id=publisher)


def hostile_article(canonical: str, url: str) -> Article:
    return Article(
        url=url,
        canonical_url=canonical,
        title=f"Hostile {canonical[:4]}",
        language="id",
        published=AT,
        authors=(Person("Penulis", url=HOSTILE["author"]),),
        images=(Image(HOSTILE["image"], caption="Foto"),),
        body=(Block(BlockKind.PARAGRAPH, f"Berita tentang {WORD} di kota."),),
    )


@pytest.fixture
def hostile(store: Store) -> tuple[Store, int, list[str]]:
    publisher, _ = store.add_publisher("Hostile", HOSTILE["home"], follow=True)
    store.add_source(publisher, HOSTILE["source"], "rss")
    ids = []
    for canonical, fetched in ((HOSTILE["canonical"], HOSTILE["fetched"]), (HOSTILE["second canonical"], "")):
        save(store, canonical, fetched or canonical, publisher)
        stored = store.article(canonical)
        assert stored is not None
        ids.append(stored.id)
    return store, publisher, ids


def outputs(client: TestClient, publisher: int, ids: list[str]) -> dict[str, str]:
    """Every page, JSON answer and feed in which the hostile rows appear."""
    paths = [
        "/?show=all", "/?show=following", "/following", "/publishers", f"/publishers/{publisher}",
        f"/search?q={WORD}", "/api/v1/articles", "/api/v1/publishers", f"/api/v1/publishers/{publisher}",
        f"/api/v1/search?q={WORD}", "/feeds/following.atom", "/feeds/following.json", f"/feeds/search.atom?q={WORD}",
        f"/feeds/search.json?q={WORD}",
    ]  # fmt: skip
    for article_id in ids:
        paths += [f"/articles/{article_id}", f"/api/v1/articles/{article_id}"]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = response.text
    return answers


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [scheme for scheme in SCHEMES if scheme in lowered]


def test_no_hostile_url_reaches_a_page_a_feed_or_the_json(hostile: tuple[Store, int, list[str]]) -> None:
    store, publisher, ids = hostile
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        answers = outputs(client, publisher, ids)
        # The rows themselves are shown: the titles are there, only their URLs are dropped.
        assert "Hostile java" in answers[f"/articles/{ids[0]}"]
        assert {path: leaks(text) for path, text in answers.items() if leaks(text)} == {}

        detail = client.get(f"/api/v1/articles/{ids[0]}").json()
        assert (detail["url"], detail["canonical_url"]) == (None, None)
        assert detail["authors"] == [{"name": "Penulis", "role": None, "url": None}]
        assert detail["image"]["url"] is None
        assert detail["images"][0]["url"] is None
        (listed,) = client.get("/api/v1/publishers").json()["publishers"]
        assert listed["home_url"] is None
        assert [source["url"] for source in listed["sources"]] == [None]

        # A feed entry keeps its link to the reader's page and loses the link to the original.
        item = next(item for item in client.get("/feeds/following.json").json()["items"] if ids[0] in item["id"])
        assert item["url"] == f"{BASE_URL}/articles/{ids[0]}"
        assert "external_url" not in item
        assert "image" not in item
        atom = answers["/feeds/following.atom"]
        assert 'rel="related"' not in atom
        assert f'href="{BASE_URL}/articles/{ids[0]}"' in atom


def test_a_web_url_next_to_a_hostile_one_is_kept(store: Store) -> None:
    # The fetched URL is the original link when the canonical one is not a web address, and the reverse.
    save(store, HOSTILE["canonical"], "https://news.example/a")
    save(store, "https://news.example/b", HOSTILE["fetched"])
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        listed = {item["title"]: item for item in client.get("/api/v1/articles").json()["articles"]}
        first = listed["Hostile java"]
        assert (first["url"], first["canonical_url"]) == ("https://news.example/a", None)
        second = listed["Hostile http"]
        assert (second["url"], second["canonical_url"]) == ("https://news.example/b", "https://news.example/b")
        page = client.get(first["reader_path"]).text
        assert 'href="https://news.example/a"' in page
        assert 'rel="canonical"' not in page


def test_no_hostile_url_reaches_a_story(hostile: tuple[Store, int, list[str]]) -> None:
    pytest.importorskip("datasketch")
    from tests.stories.test_stories import topic_embedder
    from warta.jobs.stories import assign_stories

    store, _, ids = hostile
    assign_stories(store, topic_embedder)
    stored = store.article(ids[0])
    assert stored is not None
    assert stored.story is not None
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        for path in (
            "/stories", "/api/v1/stories", f"/stories/{stored.story}", f"/api/v1/stories/{stored.story}",
            f"/feeds/stories/{stored.story}.atom", f"/feeds/stories/{stored.story}.json",
        ):  # fmt: skip
            response = client.get(path)
            assert response.status_code == 200, path
            assert leaks(response.text) == [], path
