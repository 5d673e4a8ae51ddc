"""The flattened-text path: the seed page, and each cue the line classifier reads."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import warta
from warta.extract.learned import Models
from warta.extract.lines import Reason, best_span, cut_alt_text, grow, split_lines
from warta.extract.text import read_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"

PROSE = [
    "The council voted on Tuesday to extend the city's bus network to the northern districts by next year.",
    "Residents had asked for the extension for a decade, saying the nearest stop was a long walk from home.",
    "The mayor said the first new routes would open in March, once the drivers have been hired and trained.",
    "Opposition members questioned the cost, which the city puts at twelve million euros over five years.",
]


def test_the_seed_page_gives_the_expected_article() -> None:
    expected = json.loads((FIXTURES / "rmol-kazakhstan-2022.expected.json").read_text(encoding="utf-8"))
    article = warta.extract_text((SAMPLES / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8"))
    assert article.title == expected["title"]
    assert article.site_name == expected["site_name"]
    assert article.language == expected["language"]
    assert [{"name": p.name, "role": p.role, "url": p.url} for p in article.authors] == expected["authors"]
    assert article.published is not None
    assert article.published.isoformat() == expected["published"]
    assert [{"caption": i.caption, "credit": i.credit} for i in article.images] == expected["images"]
    assert list(article.sources) == expected["sources"]
    assert [block.text for block in article.body] == expected["body_paragraphs"]
    body = article.text
    for furniture in expected["furniture_dropped"]:
        if not furniture.startswith("("):  # "(second copy of the title)" describes a line, it is not one
            assert furniture not in body
    assert article.text.count(expected["title"][:40]) == 0


def test_the_seed_lines_are_classified_with_reasons() -> None:
    reading = read_text((SAMPLES / "rmol-kazakhstan-2022.txt").read_text(encoding="utf-8"))
    removed = reading.removed()
    assert removed[Reason.METADATA.value] >= 6  # two headlines, two bylines, a dateline, a caption
    assert removed[Reason.PHRASE.value] >= 3  # two calls to action and the related header
    assert removed["image alt text"] == 2


def page_text(*lines: str) -> str:
    return "\n".join(lines)


MENU = ["• Home", "• News", "• Sport", "• Business", "• Culture", "• Weather", "• Contact"]


def test_the_article_is_the_prose_between_menus_and_teasers() -> None:
    text = page_text(
        *MENU,
        "City extends bus network to the north",
        "By Jane Doe",
        "March 3, 2024, 10:15 EST",
        *PROSE,
        "Related stories",
        "• Trams return to the old town after twenty years",
        "• Parking fees rise in the centre",
        *MENU,
    )
    article = warta.extract_text(text)
    assert [block.text for block in article.body] == PROSE
    assert article.title == "City extends bus network to the north"
    assert [(p.name, p.role) for p in article.authors] == [("Jane Doe", "writer")]
    assert article.published is not None
    assert article.published.isoformat() == "2024-03-03T10:15:00-05:00"


def test_the_url_slug_finds_the_headline_and_a_cookie_notice_does_not_win() -> None:
    notice = [
        "We and our partners use cookies to store and access information on your device, to measure audiences "
        "and to show you personalised advertising and content; you can change your choices at any time. " * 3,
        "Strictly necessary cookies",
        "These cookies are needed for the website to work and cannot be switched off in our systems, and they "
        "are usually only set in response to actions made by you, such as setting your privacy preferences. " * 3,
    ]
    sitemap = [
        f"• {section} {place}"
        for section in ("News", "Sport", "Culture", "Money", "Travel", "Opinion")
        for place in MENU
    ]
    text = page_text(*MENU, "City extends bus network to the north", *PROSE[:2], *sitemap, *MENU, *notice)
    url = "https://news.example/city/city-extends-bus-network-north-2024"
    article = warta.extract_text(text, url)
    assert article.title == "City extends bus network to the north"
    assert [block.text for block in article.body] == PROSE[:2]
    # Without the URL nothing tells the rules where the headline is, and the longer prose wins.
    assert warta.extract_text(text, models=Models.none()).body[0].text.startswith("We and our partners")


def test_the_article_resumes_after_a_box_of_related_links() -> None:
    text = page_text(
        "City extends bus network to the north",
        *PROSE[:2],
        "Read more",
        "• Trams return to the old town after twenty years",
        "• Parking fees rise in the centre",
        "• A new bridge for cyclists opens in May",
        *PROSE[2:],
        *MENU,
    )
    assert [block.text for block in warta.extract_text(text).body] == PROSE


def test_a_comments_header_ends_the_article() -> None:
    comment = "I have waited for this bus for years, and I am glad the council finally listened to us all."
    text = page_text("City extends bus network to the north", *PROSE, "Comments (2)", comment, comment + " Yes!")
    assert [block.text for block in warta.extract_text(text).body] == PROSE


def test_a_byline_with_raw_html_gives_the_profile_url_and_a_caption_its_credit() -> None:
    text = page_text(
        "Polisi Serahkan Anggota Kelompok Bersenjata ke Kejaksaan",
        "Penulis: <a href='https://news.example/penulis/budi-santoso'>BUDI SANTOSO</a>",
        "Rabu, 4 November 2015 | 21:04 WIB",
        "KOMPAS.COM/MASRIADI Penyidik menyerahkan senjata api ke Kejaksaan Negeri Lhoksukon",
        "Penyidik Polres Lhokseumawe melimpahkan seorang anggota kelompok bersenjata ke kejaksaan, Rabu siang.",
        "Polisi menyerahkan tersangka bersama senjata api jenis AK-56 dan puluhan butir amunisi miliknya.",
        "Tersangka ditangkap pada bulan Juli setelah berusaha kabur ketika hendak disergap oleh tim kepolisian.",
    )
    article = warta.extract_text(text)
    assert [(p.name, p.role, p.url) for p in article.authors] == [
        ("Budi Santoso", "writer", "https://news.example/penulis/budi-santoso")
    ]
    assert article.published is not None
    assert article.published.isoformat() == "2015-11-04T21:04:00+07:00"
    assert [(i.caption, i.credit) for i in article.images] == [
        ("Penyidik menyerahkan senjata api ke Kejaksaan Negeri Lhoksukon", "KOMPAS.COM/MASRIADI")
    ]
    assert len(article.body) == 3


def test_relative_datelines_read_against_now() -> None:
    text = page_text("City extends bus network to the north", "2 hours ago", *PROSE)
    now = datetime(2024, 3, 3, 12, 0, tzinfo=UTC)
    article = warta.extract_text(text, now=now)
    assert article.published == datetime(2024, 3, 3, 10, 0, tzinfo=UTC)


def test_lines_a_site_prints_on_many_pages_are_furniture() -> None:
    pitch = "Support independent journalism in the north: become a member of our newsroom today."
    text = page_text("City extends bus network to the north", *PROSE, pitch)
    assert pitch in warta.extract_text(text).text
    kept = warta.extract_text(text, recurring=frozenset({" ".join(pitch.casefold().split())}))
    assert pitch not in kept.text
    assert [block.text for block in kept.body] == PROSE


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("rmol news logo Situasi Kazakhstan setelah kerusuhan massal, bisa dikatakan normal.",
         "Situasi Kazakhstan setelah kerusuhan massal, bisa dikatakan normal."),
        ("Menteri mengatakan 225 orang telah tewas. site logo article", "Menteri mengatakan 225 orang telah tewas."),
        # Lower-case words before a capital that name no image and recur nowhere are the sentence's own.
        ("iPhone Nutzer warten auf das Update, sagte der Sprecher.",
         "iPhone Nutzer warten auf das Update, sagte der Sprecher."),
    ],
)  # fmt: skip
def test_image_alt_text_fused_into_prose_is_cut(line: str, kept: str) -> None:
    lines = split_lines(line)
    cut_alt_text(lines)
    assert lines[0].text == kept


def test_split_lines_reads_bullets_and_raw_links() -> None:
    raw = "  • Home\n\nLAPORAN: <a href='https://x.example/about/a-b'>A B</a>\nText &amp; more\n– Wir sind bereit."
    lines = split_lines(raw)
    assert [(line.text, line.bulleted) for line in lines] == [
        ("Home", True),
        ("LAPORAN: A B", False),
        ("Text & more", False),
        ("– Wir sind bereit.", True),  # a dash may open quoted speech: it stays
    ]
    assert lines[1].anchors == (("A B", "https://x.example/about/a-b"),)


def test_best_span_and_grow() -> None:
    weights = [5.0, -100.0, 3.0, 4.0, -1.0, 50.0, -200.0, 300.0]
    assert best_span(weights) == (7, 8)
    assert best_span([-1.0, -2.0]) == (0, 0)
    # Grown from a known start, the stretch stops at the wall, however heavy the text beyond it.
    assert grow(weights, 2) == (6, 56.0)
    assert grow(weights, 5, step=-1) == (2, 56.0)
    assert grow(weights, 1) == (1, 0.0)


def test_text_without_any_line_is_an_error() -> None:
    with pytest.raises(warta.EmptyInputError):
        warta.extract_text(" \n\n \t\n")


def test_a_long_word_after_a_sentence_does_not_stall_the_alt_text_cut() -> None:
    # Optional spaces between words let the trailing-fragment pattern split "aaaa…" in exponentially many
    # ways: this line took 45 s before the spaces were required.
    lines = split_lines("Intro line here.\nThe council met on Tuesday to discuss the budget. " + "a" * 100 + "!")
    started = time.perf_counter()
    cut_alt_text(lines)
    assert time.perf_counter() - started < 0.5
    lines = split_lines("The photo shows the new bridge. bridge photo")
    assert cut_alt_text(lines) == 1
    assert lines[0].text == "The photo shows the new bridge."
