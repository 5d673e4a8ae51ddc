"""The reader in-process: pages and their JSON, the API, follows, access, feeds and hostile input."""

from __future__ import annotations

import base64
import itertools
from datetime import UTC, datetime
from typing import Any

import feedparser
from fastapi.testclient import TestClient
from sqlalchemy import event

import warta
from warta.models import Article, Block, BlockKind, Fetched
from warta.serve import create_app
from warta.store import Store, stable_id

from ..search.corpus import ARTICLES
from .conftest import BASE_URL, article_id


def test_every_page_is_also_its_json(client: TestClient, filled: tuple[Store, dict[str, Any]]) -> None:
    kazakhstan = article_id(filled[0], "kazakhstan-csto")
    page = client.get(f"/articles/{kazakhstan}")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    as_json = client.get(f"/articles/{kazakhstan}", headers={"Accept": "application/json"}).json()
    assert as_json == client.get(f"/api/v1/articles/{kazakhstan}").json()
    assert as_json == client.get(f"/articles/{kazakhstan}?format=json").json()
    for path in ("/", "/publishers", "/following", "/search?q=csto", "/publishers/1"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/json"


def test_the_article_page_shows_the_article_and_its_related_coverage(
    client: TestClient, filled: tuple[Store, dict[str, Any]]
) -> None:
    kazakhstan = article_id(filled[0], "kazakhstan-csto")
    detail = client.get(f"/api/v1/articles/{kazakhstan}").json()
    assert detail["published"] == "2022-01-20T06:53:00+07:00"
    assert detail["authors"] == [{"name": "Reni Erina", "role": "reporter", "url": "https://rmol.id/about/reni-erina"}]
    assert detail["sources"] == ["Euro News"]
    assert detail["extractor_version"] == warta.__version__
    related = {item["canonical_url"].rsplit("/", 1)[1] for item in detail["related"]}
    assert related == {"csto-tarik-pasukan", "almaty-pasukan-csto"}

    html = client.get(f"/articles/{kazakhstan}").text
    assert "Kazakhstan: Pasukan CSTO Mulai Ditarik dari Almaty Setelah Kerusuhan" in html
    # The publisher's wall time and offset are printed; the script adds the reader's own time.
    assert '<time datetime="2022-01-20T06:53:00+07:00" data-local>20 Jan 2022, 06:53 UTC+07:00</time>' in html
    assert "Pasukan CSTO di Almaty" in html  # the lead image's caption
    assert "Related coverage" in html
    assert "CSTO Tarik Pasukan dari Kazakhstan" in html
    assert 'href="https://rmol.id/read/kazakhstan-csto"' in html


def test_an_article_opens_by_a_unique_prefix_of_its_id(
    client: TestClient, filled: tuple[Store, dict[str, Any]]
) -> None:
    store = filled[0]
    kazakhstan = article_id(store, "kazakhstan-csto")
    page = client.get(f"/articles/{kazakhstan[:6]}")
    assert page.status_code == 200
    assert "Kazakhstan: Pasukan CSTO Mulai Ditarik dari Almaty Setelah Kerusuhan" in page.text
    assert client.get(f"/api/v1/articles/{kazakhstan[:6].upper()}").json()["id"] == kazakhstan
    # The public id is the only id: the store's row number is not an address, nor is a URL or a short prefix.
    stored = store.article(kazakhstan)
    assert stored is not None
    assert client.get(f"/articles/{stored.key}").status_code == 404
    assert client.get(f"/articles/{kazakhstan[:3]}").status_code == 404
    assert client.get("/articles/ffffffffffffffff").status_code == 404


def test_an_ambiguous_id_prefix_is_not_found(store: Store) -> None:
    # Two URLs whose ids share their first four hex digits, found by counting up.
    first_with: dict[str, str] = {}
    for n in itertools.count():
        url = f"https://news.example/read/{n}"
        prefix = stable_id(url)[:4]
        if prefix in first_with:
            break
        first_with[prefix] = url
    urls = (first_with[prefix], url)
    for address in urls:
        body = (Block(BlockKind.PARAGRAPH, "Isi berita."),)
        store.save(Article(url=address, canonical_url=address, title=address, body=body), None, publisher_id=None)
    ids = [stable_id(address) for address in urls]
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        page = client.get(f"/articles/{prefix}")
        assert page.status_code == 404
        assert "more than one article id starts with" in page.text
        assert client.get(f"/api/v1/articles/{prefix}").status_code == 404
        # One digit more than the two ids share tells them apart.
        shared = next(i for i, (a, b) in enumerate(zip(*ids, strict=True)) if a != b)
        assert client.get(f"/api/v1/articles/{ids[1][: shared + 1]}").json()["id"] == ids[1]


def test_search_highlights_stemmed_matches_and_filters(client: TestClient) -> None:
    result = client.get("/api/v1/search", params={"q": "kerusuhan"}).json()
    titles = [hit["title"] for hit in result["hits"]]
    assert "Polisi Amankan Demonstran di Depan Gedung DPR" in titles
    dpr = next(hit for hit in result["hits"] if hit["title"].startswith("Polisi"))
    assert "<mark>rusuh</mark>" in dpr["snippet_html"]
    english = client.get("/api/v1/search", params={"q": "kazakhstan", "language": "en"}).json()
    assert [hit["language"] for hit in english["hits"]] == ["en"]
    dated = client.get("/api/v1/search", params={"q": "csto", "since": "2022-02-01"}).json()
    assert dated["total"] == 1
    page = client.get("/search", params={"q": "kerusuhan"}).text
    assert "<mark>rusuh</mark>" in page
    assert "<mark>Kerusuhan</mark>" in page


def test_search_input_that_cannot_match_is_a_message_not_an_error(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "-rusuh"})
    assert response.status_code == 200
    assert response.json()["error"]
    assert response.json()["hits"] == []
    assert client.get("/search", params={"q": '"unclosed AND ( OR'}).status_code == 200
    assert client.get("/search", params={"q": "x", "since": "yesterday"}).status_code == 400
    assert client.get("/api/v1/articles", params={"cursor": "!!!"}).status_code == 400
    naive = base64.urlsafe_b64encode(b"2022-01-20T06:53:00|5").decode()
    assert client.get("/api/v1/articles", params={"cursor": naive}).status_code == 400
    assert client.get("/api/v1/articles/0000000000000000").status_code == 404
    assert client.get("/publishers/999").status_code == 404


def test_pagination_by_cursor_walks_every_article_once(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/articles", params=params).json()
        seen += [item["id"] for item in page["articles"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(ARTICLES)
    published = [
        datetime.fromisoformat(item["published"]) for item in client.get("/api/v1/articles").json()["articles"]
    ]
    assert published == sorted(published, reverse=True)


def test_the_star_follows_and_unfollows(client: TestClient, filled: tuple[Store, dict[str, Any]]) -> None:
    store, _ = filled
    assert client.get("/api/v1/articles", params={"following": True}).json()["articles"] == []
    # The form, as a browser without the script sends it.
    response = client.post(
        "/publishers/1/follow", data={"followed": "1", "back": "/publishers"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/publishers"
    assert store.followed_ids() == {1}
    assert store.publisher(1).crawled
    following = client.get("/api/v1/articles", params={"following": True}).json()["articles"]
    assert {item["publisher"]["id"] for item in following} == {1}
    assert all(item["publisher"]["followed"] for item in following)
    assert "★" in client.get("/publishers/1").text
    # The script's request, and the API.
    assert client.post(
        "/publishers/1/follow", data={"followed": "0"}, headers={"Accept": "application/json"}
    ).json() == {
        "publisher_id": 1,
        "followed": False,
    }
    assert not store.publisher(1).crawled
    assert client.put("/api/v1/publishers/2/follow").json()["followed"] is True
    assert [p["id"] for p in client.get("/api/v1/publishers", params={"following": True}).json()["publishers"]] == [2]
    assert client.delete("/api/v1/publishers/2/follow").json()["followed"] is False
    assert client.put("/api/v1/publishers/999/follow").status_code == 404


def test_other_sites_cannot_follow_through_the_reader(client: TestClient, filled: tuple[Store, dict[str, Any]]) -> None:
    response = client.post("/publishers/1/follow", data={"followed": "1"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.put("/api/v1/publishers/1/follow", headers={"Origin": "null"}).status_code == 403
    assert filled[0].followed_ids() == set()
    # An absolute URL in `back` does not redirect away from the reader.
    response = client.post(
        "/publishers/1/follow", data={"followed": "1", "back": "//evil.example/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/publishers/1"


def test_a_shared_reader_needs_tokens_and_keeps_follows_per_user(filled: tuple[Store, dict[str, Any]]) -> None:
    store, _ = filled
    ana, budi = store.add_user("ana"), store.add_user("budi")
    with TestClient(create_app(store, tokens_required=True), base_url=BASE_URL) as client:
        assert client.get("/api/v1/articles").status_code == 401
        assert client.get("/feeds/following.atom").status_code == 401
        page = client.get("/", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")
        assert client.get("/api/v1/articles", headers={"Authorization": "Bearer wrong"}).status_code == 401
        as_ana = {"Authorization": f"Bearer {ana}"}
        assert client.put("/api/v1/publishers/1/follow", headers=as_ana).status_code == 200
        ana_follows = client.get("/api/v1/publishers", params={"following": True}, headers=as_ana).json()
        budi_follows = client.get(
            "/api/v1/publishers", params={"following": True}, headers={"Authorization": f"Bearer {budi}"}
        )
        assert [p["id"] for p in ana_follows["publishers"]] == [1]
        assert budi_follows.json()["publishers"] == []
        # The local user (the command line's) follows nothing; the crawler fetches what anyone follows.
        assert store.followed_ids() == set()
        assert store.publisher(1).crawled
        # A browser signs in once; the token then travels in an HTTP-only cookie.
        login = client.post("/login", data={"token": budi, "next": "/following"}, follow_redirects=False)
        assert login.status_code == 303
        assert "httponly" in login.headers["set-cookie"].lower()
        assert client.get("/following").status_code == 200
        failed = client.post("/login", data={"token": "nope"}, follow_redirects=False)
        assert "failed=1" in failed.headers["location"]


def test_feeds_of_a_search_and_of_the_followed_publishers(client: TestClient) -> None:
    atom = feedparser.parse(client.get("/feeds/search.atom", params={"q": "csto"}).content)
    assert not atom.bozo
    assert len(atom.entries) == 4
    assert atom.entries[0].link.startswith("http://localhost/articles/")
    client.put("/api/v1/publishers/1/follow")
    feed = client.get("/feeds/following.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {item["external_url"].split("/")[2] for item in feed["items"]} == {"rmol.id"}
    assert client.get("/feeds/search.atom", params={"q": "-csto"}).status_code == 400
    assert client.get("/feeds/following.rss").status_code == 404


def test_the_api_is_described_by_openapi(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/search", "/api/v1/publishers"):
        assert "get" in paths[path], path
    assert {"put", "delete"} <= set(paths["/api/v1/publishers/{publisher_id}/follow"])
    assert "ArticleDetail" in spec["components"]["schemas"]


HOSTILE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Hostile page</title><link rel="canonical" href="https://evil.example/news/hostile">
<meta property="og:image" content="javascript:alert('og')">
</head><body><article><h1>A page that fights back</h1>
<p>First paragraph of a long enough article body, with <a href="javascript:alert('link')">a link</a> and
an <img src="x" onerror="alert('img')"> image, and more words so that it counts as prose for the extractor.</p>
<script>alert('script')</script>
<p onclick="alert('click')">Second paragraph: &lt;script&gt;alert('escaped')&lt;/script&gt; shown as text, and
more sentences of ordinary prose to make the article long enough to be kept by the extractor.</p>
<p>Third paragraph <iframe src="javascript:alert('frame')"></iframe> with yet more prose, which the reader
must show as text while nothing of the page's code runs.</p>
</article></body></html>"""


def test_a_hostile_page_renders_inert(store: Store) -> None:
    url = "https://evil.example/news/hostile"
    article = warta.extract(HOSTILE, url=url)
    store.save(article, Fetched(url, url, 200, body=HOSTILE.encode(), fetched_at=datetime.now(UTC)), publisher_id=None)
    stored = store.article(url)
    assert stored is not None
    with TestClient(create_app(store), base_url=BASE_URL) as client:
        html = client.get(f"/articles/{stored.id}").text
        assert "First paragraph of a long enough article body" in html
        assert "Second paragraph" in html
        lowered = html.lower()
        assert "javascript:" not in lowered
        assert " onerror=" not in lowered
        assert " onclick=" not in lowered
        assert "<iframe" not in lowered
        # The only script is the reader's own; the page's text about a script is escaped.
        assert lowered.count("<script") == 1
        assert '<script src="/static/warta.js' in html
        assert "&lt;script&gt;alert" in html
        search = client.get("/search", params={"q": "script"}).text
        assert "<script>alert" not in search


def test_the_publisher_list_shows_the_sources_of_each_without_a_query_a_publisher(store: Store) -> None:
    def statements(client: TestClient) -> tuple[int, list[dict[str, Any]]]:
        executed: list[str] = []

        def count(*args: Any) -> None:
            executed.append(args[2])

        event.listen(store.engine, "before_cursor_execute", count)
        try:
            listed = client.get("/api/v1/publishers").json()["publishers"]
        finally:
            event.remove(store.engine, "before_cursor_execute", count)
        return len(executed), listed

    def add_publishers(first: int, last: int) -> None:
        for n in range(first, last):
            publisher, _ = store.add_publisher(f"Kabar {n}", f"https://kabar{n}.example/")
            for kind in ("rss", "sitemap"):
                store.add_source(publisher, f"https://kabar{n}.example/{kind}.xml", kind)

    with TestClient(create_app(store), base_url=BASE_URL) as client:
        add_publishers(0, 2)
        few, _ = statements(client)
        add_publishers(2, 10)
        many, listed = statements(client)
        assert many == few
        assert len(listed) == 10
        for publisher in listed:
            detail = client.get(f"/api/v1/publishers/{publisher['id']}").json()["publisher"]
            assert publisher["sources"] == detail["sources"]
            assert [source["kind"] for source in publisher["sources"]] == ["rss", "sitemap"]
