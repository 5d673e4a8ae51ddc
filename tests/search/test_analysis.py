"""Text analysis and query parsing: what the index stores and what a query asks for."""

from __future__ import annotations

import pytest

from warta.search import EmptyQuery, analysis, parse
from warta.search.highlight import mark, snippet
from warta.search.query import Alternative


def test_indonesian_affixes_meet_at_the_root() -> None:
    assert analysis.analyse("kerusuhan", "id") == analysis.analyse("rusuh", "id") == ["rusuh"]
    assert analysis.analyse("pembangunan dibangun", "id") == ["bangun", "bangun"]


def test_case_width_and_accents_fold_away_for_latin_but_indic_vowel_signs_stay() -> None:
    assert analysis.analyse("ÉCOLE", "fr") == analysis.analyse("ecole", "fr")
    assert analysis.analyse("ＡＢＣ", None) == ["abc"]
    hindi = analysis.analyse("हिन्दी", None)
    assert hindi == ["हिन्दी"]


def test_scripts_without_spaces_become_overlapping_pairs() -> None:
    assert analysis.analyse("東京都", "ja") == ["東京", "京都"]
    assert analysis.analyse("東", "ja") == ["東"]


def test_long_strings_are_not_terms() -> None:
    assert analysis.analyse("x" * 200 + " kabar", "id") == ["kabar"]


def test_a_query_word_may_match_its_stem_in_each_stored_language() -> None:
    query = parse("Elections", ["en", "id", "ms"])
    (clause,) = query.clauses
    # As typed, anywhere; stemmed, only where that language's stemmer made the stem.
    assert clause.alternatives == (Alternative(("elections",)), Alternative(("elect",), ("en",)))
    assert [alt.languages for alt in parse("kerusuhan", ["en", "id", "ms"]).clauses[0].alternatives] == [
        (),
        ("id", "ms"),
    ]


def test_phrases_exclusions_and_operators_read_as_words() -> None:
    query = parse('"pasukan csto" -rusuh AND (Almaty', ["id"])
    assert [c.negated for c in query.clauses] == [False, True, False, False]
    stem = analysis.analyse("pasukan", "id")[0]
    assert stem != "pasukan"
    assert query.clauses[0].alternatives == (Alternative(("pasukan", "csto")), Alternative((stem, "csto"), ("id",)))
    fts = query.fts5()
    stemmed = f'({{title body}} : "{stem} csto" AND (lang : "id"))'
    assert fts == (
        f'(({{title body}} : "pasukan csto" OR {stemmed}) AND ({{title body}} : "and") '
        'AND ({title body} : "almaty")) NOT (({title body} : "rusuh"))'
    )
    assert "!" in query.tsquery()
    assert f"(('{stem}' <-> 'csto') & ('=id'))" in query.tsquery()
    # Ranking reads any of the words sought, in any form, and neither languages nor the excluded word.
    sought = sorted({"pasukan", stem, "csto", "and", "almaty"})
    assert query.rank_tsquery() == " | ".join(f"'{term}'" for term in sought)


def test_quotes_in_a_query_cannot_escape_into_the_database_syntax() -> None:
    query = parse("o'brien \\' \"x", ["en"])
    assert all('"' not in term and "'" not in term for term in query.terms())


@pytest.mark.parametrize("text", ["", "   ", "-rusuh", "!!! ???"])
def test_a_query_with_nothing_to_find_is_an_error(text: str) -> None:
    with pytest.raises(EmptyQuery):
        parse(text, ["id"])


def test_highlights_mark_stemmed_matches_and_escape_the_rest() -> None:
    wanted = parse("kerusuhan", ["id"]).terms()
    assert mark("Massa <b>rusuh</b> di Almaty", "id", wanted) == "Massa &lt;b&gt;<mark>rusuh</mark>&lt;/b&gt; di Almaty"
    long = " ".join(["kata"] * 200) + " kerusuhan terjadi " + " ".join(["lagi"] * 200)
    shown = snippet(long, "id", wanted)
    assert "<mark>kerusuhan</mark>" in shown
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert len(shown.split()) < 50


def test_overlapping_pairs_are_marked_as_one_run() -> None:
    wanted = parse("東京都", ["ja"]).terms()
    assert mark("東京都知事", "ja", wanted) == "<mark>東京都</mark>知事"


@pytest.mark.parametrize(
    "text",
    [
        # A paired script: read by `regex`.
        "Pembangunan JALAN tol di Jawa: École, 東京都知事 and ＡＢＣ-123 hari ini " + "x" * 80,
        # No mark and no paired script: read by `re`, which must find the same words (underscores,
        # superscripts, full-width letters, accents composed by NFKC, Cyrillic, Arabic digits).
        "Pembangunan JALAN tol di Jawa: École, snake_case x² ＡＢＣ-123 Москва ١٢٣ e\u0301lan " + "x" * 80,
        # A combining mark left after NFKC (a Devanagari vowel sign): `regex` again.
        "हिन्दी समाचार और Jakarta_2022",
    ],
)
def test_indexing_and_highlighting_read_the_same_words(text: str) -> None:
    positional = analysis.terms([token.form for token in analysis.tokens(text)], "id")
    assert analysis.analyse(text, "id") == positional
