"""Search and related articles on both databases, through the store."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from warta.search import parse
from warta.store import Store, stable_id

from .corpus import START, fill


def titles(store: Store, text: str, **filters: object) -> list[str]:
    _, hits = store.search(parse(text, store.languages()), **filters)  # type: ignore[arg-type]
    return [row.title for row, _ in hits]


def test_indonesian_search_finds_words_by_their_root(store: Store) -> None:
    fill(store)
    found = titles(store, "kerusuhan")
    # "rusuh" in the DPR article, "kerusuhan" in RMOL's.
    assert "Polisi Amankan Demonstran di Depan Gedung DPR" in found
    assert any("Kerusuhan" in title for title in found)
    assert "Harga Beras Naik Setelah Panen Gagal" not in found


def test_case_accents_and_stems_do_not_matter(store: Store) -> None:
    fill(store)
    assert titles(store, "ECOLE") == ["L'École publique face à la réforme"]
    assert (
        titles(store, "elections")
        == titles(store, "Election")
        == ["Kazakhstan's Parliament Election Results Announced"]
    )
    assert titles(store, "知事") == ["東京都知事選挙の結果"]


def test_phrases_exclusions_and_ranking(store: Store) -> None:
    fill(store)
    assert titles(store, '"gedung dpr"') == ["Polisi Amankan Demonstran di Depan Gedung DPR"]
    assert titles(store, '"dpr gedung"') == []
    with_csto = titles(store, "almaty")
    without = titles(store, "almaty -tokayev")
    assert len(without) < len(with_csto)
    # A title match outranks a body-only one.
    total, hits = store.search(parse("kondusif", ["id"]))
    assert total == 1
    assert hits[0][0].title.startswith("CSTO Tarik Pasukan")


def test_filters_pagination_and_totals(store: Store) -> None:
    fill(store)
    rmol = store.find_publisher("https://rmol.id/")
    assert rmol is not None
    assert titles(store, "pasukan csto", publisher_id=rmol.id) == [
        "Kazakhstan: Pasukan CSTO Mulai Ditarik dari Almaty Setelah Kerusuhan"
    ]
    assert titles(store, "kazakhstan", language="en") == ["Kazakhstan's Parliament Election Results Announced"]
    assert titles(store, "csto", since=START + timedelta(days=30)) == [
        "Evaluasi Misi Pasukan CSTO di Almaty Kazakhstan"
    ]
    total, first = store.search(parse("csto", ["id"]), limit=2)
    _, second = store.search(parse("csto", ["id"]), limit=2, offset=2)
    assert total == 4
    assert len(first) == 2
    assert len(second) == 2
    assert not {row.id for row, _ in first} & {row.id for row, _ in second}
    _, newest = store.search(parse("csto", ["id"]), newest_first=True)
    dates = [row.published for row, _ in newest]
    assert dates == sorted(dates, reverse=True)


def test_a_changed_article_is_found_by_its_new_words_only(store: Store) -> None:
    from dataclasses import replace

    from warta.models import Block, BlockKind, Fetched

    from .corpus import ARTICLES, article

    fill(store)
    changed = replace(article(*ARTICLES[5]), body=(Block(BlockKind.PARAGRAPH, "Mahasiswa berunjuk rasa damai."),))
    # Fetched after `fill` saw it: an older response would not replace the article (see `Store.save`).
    fetched = Fetched(changed.url or "", changed.url or "", 200, fetched_at=START + timedelta(days=60))
    outcome = store.save(changed, fetched, publisher_id=None)
    assert outcome == "changed"
    assert "Polisi Amankan Demonstran di Depan Gedung DPR" not in titles(store, "rusuh")
    assert titles(store, "mahasiswa") == ["Polisi Amankan Demonstran di Depan Gedung DPR"]


def test_articles_are_found_by_stable_id(store: Store) -> None:
    fill(store)
    row = store.article(stable_id("https://rmol.id/read/kazakhstan-csto"))
    assert row is not None
    assert row.id == stable_id(row.canonical_url)
    assert row.publisher is not None
    assert row.publisher.name == "RMOL"
    prefix = store.article(row.id[:6].upper())
    assert prefix is not None
    assert prefix.id == row.id
    assert store.article(str(row.key)) is None  # the store's row number is not an id


def test_an_id_prefix_two_articles_share_is_refused_as_ambiguous(store: Store) -> None:
    from tests.store.test_store import article, save
    from warta.store import AmbiguousId

    first_of: dict[str, str] = {}
    for n in itertools.count():
        url = f"https://example.com/news/{n}"
        twin = first_of.setdefault(stable_id(url)[:4], url)
        if twin != url:
            break
    save(store, article(twin))
    save(store, article(url))
    with pytest.raises(AmbiguousId):
        store.article(stable_id(url)[:4])
    found = store.article(stable_id(url)[:12])
    assert found is not None
    assert found.canonical_url == url


def test_related_articles_are_the_same_story_from_other_publishers_in_the_window(store: Store) -> None:
    ids = fill(store)
    row = store.article(str(ids["kazakhstan-csto"]))
    related = store.related(row)
    slugs = [found.canonical_url.rsplit("/", 1)[1] for found, _ in related]
    assert set(slugs) == {"csto-tarik-pasukan", "almaty-pasukan-csto"}
    assert all(0.25 <= share <= 1 for _, share in related)
    # The two-month-later follow-up is outside the window; the rice and DPR articles share only common words.
    assert "csto-evaluasi" not in slugs
    assert "harga-beras" not in slugs
    assert "demo-dpr" not in slugs


def test_an_article_with_nothing_in_common_has_no_related_ones(store: Store) -> None:
    ids = fill(store)
    assert store.related(store.article(str(ids["ecole-publique"]))) == []


def test_a_stem_is_only_looked_for_in_its_own_language(store: Store) -> None:
    from warta.models import Article, Block, BlockKind, Fetched

    texts = {
        "id": ("Warga membangun jembatan baru", "Warga desa membangun jembatan baru dari bambu."),
        "en": ("The big bang of the universe", "Astronomers keep studying the bang that began the universe."),
        "lt": ("Naujas tiltas", "Gyventojai stato naują tiltą per upę."),
    }
    for language, (title, text) in texts.items():
        url = f"https://example.{language}/news/1"
        item = Article(
            url=url, canonical_url=url, title=title, language=language, published=START,
            body=(Block(BlockKind.PARAGRAPH, text),),
        )  # fmt: skip
        store.save(item, Fetched(url, url, 200, fetched_at=START), publisher_id=None)
    # Lithuanian's stemmer makes "bangun" into "bang": a stem that must not find the English article.
    assert titles(store, "bangun") == ["Warga membangun jembatan baru"]
    assert titles(store, "bang") == ["The big bang of the universe"]
