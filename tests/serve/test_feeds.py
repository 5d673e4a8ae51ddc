from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import feedparser
import pytest
from lxml import etree

from warta.serve.feeds import ATOM_NS, JSON_FEED_VERSION, FeedEntry, FeedInfo, atom, json_feed

WIB = timezone(timedelta(hours=7))
A = f"{{{ATOM_NS}}}"
INFO = FeedInfo(
    id="http://reader.test/feeds/latest.atom",
    title="Warta: latest",
    home_url="http://reader.test/articles",
    feed_url="http://reader.test/feeds/latest.atom",
)


def entry(**overrides: Any) -> FeedEntry:
    fields: dict[str, Any] = {
        "id": "0123456789abcdef",
        "title": "Gempa di Cianjur",
        "link": "http://reader.test/articles/0123456789abcdef",
        "original_url": "https://news.example/2022/01/20/gempa?a=1&b=2",
        "published": datetime(2022, 1, 20, 6, 53, tzinfo=WIB),
        "updated": None,
        "authors": ("Ani Rahma", "Budi Santoso"),
        "summary": "Gempa mengguncang Cianjur.",
        "content_html": "<p>Gempa &amp; longsor.</p>",
        "language": "id",
        "publisher": "Kabar Harian",
        "image": "https://news.example/img/gempa.jpg",
    }
    fields.update(overrides)
    return FeedEntry(**fields)


def parse(document: bytes) -> Any:
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def strict_tree(document: bytes) -> Any:
    """The document parsed by libxml2 with no recovery: raises unless it is well-formed XML."""
    return etree.fromstring(document, etree.XMLParser(recover=False, resolve_entities=False))


# Atom


def test_atom_feed_level_elements() -> None:
    document = atom(INFO, [entry()])
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    feed = parse(document).feed
    assert feed.id == INFO.id
    assert feed.title == "Warta: latest"
    assert feed.generator == "Warta"
    links = {link.rel: link.href for link in feed.links}
    assert links == {"self": INFO.feed_url, "alternate": INFO.home_url}
    # Defaults to the newest entry's time, keeping its offset.
    assert feed.updated == "2022-01-20T06:53:00+07:00"


def test_atom_entry_fields() -> None:
    [item] = parse(atom(INFO, [entry()])).entries
    assert item.id == "urn:warta:article:0123456789abcdef"
    assert item.title == "Gempa di Cianjur"
    links = {link.rel: link.href for link in item.links}
    assert links == {
        "alternate": "http://reader.test/articles/0123456789abcdef",
        "related": "https://news.example/2022/01/20/gempa?a=1&b=2",
    }
    assert item.published == "2022-01-20T06:53:00+07:00"
    # Atom requires `updated`: an unrevised article falls back to its publication time.
    assert item.updated == "2022-01-20T06:53:00+07:00"
    assert [author.name for author in item.authors] == ["Ani Rahma", "Budi Santoso"]
    assert item.title_detail.language == "id"
    assert item.summary == "Gempa mengguncang Cianjur."
    assert item.summary_detail.type == "text/plain"
    assert item.content[0].type == "text/html"
    assert item.content[0].value == "<p>Gempa &amp; longsor.</p>"
    assert item.media_thumbnail == [{"url": "https://news.example/img/gempa.jpg"}]


def test_atom_dates_keep_their_own_offsets() -> None:
    revised = entry(
        published=datetime(2022, 1, 20, 6, 53, 5, tzinfo=WIB),
        updated=datetime(2022, 1, 20, 1, 0, tzinfo=UTC),
    )
    [item] = parse(atom(INFO, [revised])).entries
    assert item.published == "2022-01-20T06:53:05+07:00"
    assert item.updated == "2022-01-20T01:00:00+00:00"
    assert item.published_parsed[:6] == (2022, 1, 19, 23, 53, 5)  # the same instant, read by feedparser in UTC


def test_atom_offset_with_seconds_is_given_in_utc() -> None:
    # Historical zone data yields offsets such as +07:07:12, which RFC 3339 cannot write.
    batavia = timezone(timedelta(hours=7, minutes=7, seconds=12))
    old = entry(published=datetime(1920, 1, 1, 12, 0, tzinfo=batavia))
    [item] = parse(atom(INFO, [old])).entries
    assert item.published == "1920-01-01T04:52:48+00:00"


def test_feed_updated_is_the_newest_instant_not_the_latest_wall_clock() -> None:
    earlier = entry(id="0000000000000001", published=datetime(2022, 1, 20, 10, 0, tzinfo=WIB))  # 03:00 UTC
    later = entry(id="0000000000000002", published=datetime(2022, 1, 20, 5, 0, tzinfo=UTC))
    assert parse(atom(INFO, [earlier, later])).feed.updated == "2022-01-20T05:00:00+00:00"


def test_given_feed_updated_is_used_for_undated_entries() -> None:
    moment = datetime(2024, 5, 1, 8, 30, tzinfo=WIB)
    info = FeedInfo(INFO.id, INFO.title, INFO.home_url, INFO.feed_url, updated=moment)
    parsed = parse(atom(info, [entry(published=None, updated=None)]))
    assert parsed.feed.updated == "2024-05-01T08:30:00+07:00"
    [item] = parsed.entries
    assert item.updated == "2024-05-01T08:30:00+07:00"
    assert "published" not in item


def test_atom_language_only_on_entries_that_have_one() -> None:
    tree = strict_tree(atom(INFO, [entry(), entry(id="fedcba9876543210", language=None)]))
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [element.get(lang) for element in tree.iter(A + "entry")] == ["id", None]


def test_atom_authors_fall_back_to_the_publisher() -> None:
    parsed = parse(atom(INFO, [entry(authors=())]))
    assert [author.name for author in parsed.entries[0].authors] == ["Kabar Harian"]
    # Every entry has an author, so the feed needs none of its own.
    assert strict_tree(atom(INFO, [entry(authors=())])).find(A + "author") is None


def test_feed_gets_an_author_when_an_entry_has_none() -> None:
    tree = strict_tree(atom(INFO, [entry(), entry(id="fedcba9876543210", authors=(), publisher=None)]))
    assert tree.findtext(f"{A}author/{A}name") == "Warta: latest"
    assert tree.findall(f"{A}entry")[1].find(A + "author") is None


def test_markup_in_titles_is_text_not_markup() -> None:
    title = "<script>alert('x')</script> & <b>bold</b>"
    document = atom(INFO, [entry(title=title, summary="<img src=x onerror=alert(1)>")])
    assert b"<script" not in document
    assert b"<img" not in document
    element = strict_tree(document).find(f"{A}entry/{A}title")
    assert len(element) == 0  # no child elements: the markup stayed text
    assert element.text == title
    [item] = parse(document).entries
    assert item.title == title
    assert item.title_detail.type == "text/plain"


def test_content_html_is_escaped_once_as_type_html() -> None:
    html = '<p>One <a href="https://x.test/?a=1&amp;b=2">link</a></p><script>bad()</script>'
    element = strict_tree(atom(INFO, [entry(content_html=html)])).find(f"{A}entry/{A}content")
    assert element.get("type") == "html"
    assert len(element) == 0
    assert element.text == html


def test_characters_illegal_in_xml_are_stripped_everywhere() -> None:
    hostile = "A\x00B\x01C\x08D\x0bE\x0cF\x1fG\ufffeH\uffffI\ud800J"
    document = atom(
        INFO,
        [
            entry(
                title=hostile,
                summary=hostile,
                content_html=f"<p>{hostile}</p>",
                authors=(hostile,),
                link="http://reader.test/articles/\x00x",
                original_url="https://news.example/\x1fy",
                language="i\x00d",
            )
        ],
    )
    strict_tree(document)  # would raise if anything illegal were left
    [item] = parse(document).entries
    assert item.title == "ABCDEFGHIJ"
    assert item.summary == "ABCDEFGHIJ"
    assert item.content[0].value == "<p>ABCDEFGHIJ</p>"
    assert [author.name for author in item.authors] == ["ABCDEFGHIJ"]
    assert {link.href for link in item.links} == {"http://reader.test/articles/x", "https://news.example/y"}
    assert item.title_detail.language == "id"


def test_allowed_whitespace_and_non_ascii_survive() -> None:
    title = "Line\tone\nline two — 日本 🌋"
    [item] = parse(atom(INFO, [entry(title=title)])).entries
    assert item.title == title


def test_empty_feed_is_valid_atom() -> None:
    document = atom(INFO, [])
    tree = strict_tree(document)
    assert tree.tag == A + "feed"
    assert tree.findtext(A + "id") == INFO.id
    assert tree.findtext(A + "title") == INFO.title
    # RFC 4287 requires an author for a feed whose entries do not all have one.
    assert tree.findtext(f"{A}author/{A}name") == INFO.title
    updated = datetime.fromisoformat(tree.findtext(A + "updated"))
    assert updated.utcoffset() is not None
    assert abs(datetime.now(UTC) - updated) < timedelta(minutes=1)
    parsed = parse(document)
    assert parsed.entries == []
    assert parsed.version == "atom10"


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        atom(INFO, [entry(published=datetime(2022, 1, 20, 6, 53))])
    with pytest.raises(ValueError, match="timezone-aware"):
        json_feed(INFO, [entry(updated=datetime(2022, 1, 20, 6, 53))])
    # Mixed naive and aware times still give the ValueError, not a comparison TypeError.
    with pytest.raises(ValueError, match="timezone-aware"):
        atom(INFO, [entry(), entry(id="fedcba9876543210", published=datetime(2022, 1, 20, 6, 53))])


@pytest.mark.parametrize("bad", ["", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "0123 56789abcdef"])
def test_malformed_article_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="article id"):
        atom(INFO, [entry(id=bad)])
    with pytest.raises(ValueError, match="article id"):
        json_feed(INFO, [entry(id=bad)])


# JSON Feed


def test_json_feed_fields() -> None:
    revised = entry(updated=datetime(2022, 1, 21, 9, 0, tzinfo=WIB))
    feed = json_feed(INFO, [revised])
    assert feed == {
        "version": JSON_FEED_VERSION,
        "title": "Warta: latest",
        "home_page_url": "http://reader.test/articles",
        "feed_url": "http://reader.test/feeds/latest.atom",
        "items": [
            {
                "id": "urn:warta:article:0123456789abcdef",
                "url": "http://reader.test/articles/0123456789abcdef",
                "external_url": "https://news.example/2022/01/20/gempa?a=1&b=2",
                "title": "Gempa di Cianjur",
                "content_html": "<p>Gempa &amp; longsor.</p>",
                "summary": "Gempa mengguncang Cianjur.",
                "image": "https://news.example/img/gempa.jpg",
                "date_published": "2022-01-20T06:53:00+07:00",
                "date_modified": "2022-01-21T09:00:00+07:00",
                "authors": [{"name": "Ani Rahma"}, {"name": "Budi Santoso"}],
                "language": "id",
            }
        ],
    }
    assert JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"


def test_json_feed_serialises_and_round_trips() -> None:
    feed = json_feed(INFO, [entry(title="Gempa — 日本 🌋\x00"), entry(id="fedcba9876543210")])
    text = json.dumps(feed, ensure_ascii=False)
    text.encode("utf-8")
    assert json.loads(text) == feed
    assert feed["items"][0]["title"] == "Gempa — 日本 🌋"


def test_json_feed_leaves_out_absent_values_and_always_has_content() -> None:
    bare = entry(
        original_url="",
        published=None,
        updated=None,
        authors=(),
        summary=None,
        content_html=None,
        language=None,
        publisher=None,
        image=None,
    )
    [item] = json_feed(INFO, [bare])["items"]
    assert None not in item.values()
    # JSON Feed requires content_html or content_text on every item.
    assert item == {
        "id": "urn:warta:article:0123456789abcdef",
        "url": "http://reader.test/articles/0123456789abcdef",
        "title": "Gempa di Cianjur",
        "content_text": "",
    }
    [with_summary] = json_feed(INFO, [entry(content_html=None)])["items"]
    assert with_summary["content_text"] == "Gempa mengguncang Cianjur."
    assert "content_html" not in with_summary


def test_json_feed_authors_fall_back_to_the_publisher() -> None:
    [item] = json_feed(INFO, [entry(authors=())])["items"]
    assert item["authors"] == [{"name": "Kabar Harian"}]


def test_json_feed_strips_lone_surrogates_so_it_encodes() -> None:
    feed = json_feed(INFO, [entry(summary="ok\ud800", content_html="<p>\udfff</p>")])
    json.dumps(feed, ensure_ascii=False).encode("utf-8")  # a lone surrogate would raise here
    assert feed["items"][0]["summary"] == "ok"


def test_empty_json_feed() -> None:
    feed = json_feed(INFO, [])
    assert feed["items"] == []
    assert feed["version"] == JSON_FEED_VERSION
    assert json.loads(json.dumps(feed)) == feed


def test_entries_keep_the_given_order() -> None:
    ids = ["000000000000000a", "000000000000000c", "000000000000000b"]
    entries = [entry(id=article_id) for article_id in ids]
    assert [item.id for item in parse(atom(INFO, entries)).entries] == [f"urn:warta:article:{i}" for i in ids]
    assert [item["id"] for item in json_feed(INFO, entries)["items"]] == [f"urn:warta:article:{i}" for i in ids]
