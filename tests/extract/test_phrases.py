from __future__ import annotations

import pytest

from warta.extract.phrases import is_dateline, is_furniture_line, is_section_header


@pytest.mark.parametrize(
    "text",
    ["ARTIKEL LAINNYA", "Berita Terkait", "Baca Juga", "Related articles", "Comments (12)", "Mehr zum Thema",
     "More in News", "Zobacz także", "Lire aussi", "Das könnte Dich auch interessieren …",
     "Schreibe einen Kommentar Antworten abbrechen", "Tags"],
)  # fmt: skip
def test_section_headers(text: str) -> None:
    assert is_section_header(text)


@pytest.mark.parametrize(
    "text",
    ["Related to the budget, the council said the plan would cost more than expected.", "Comments were made",
     "More in the report than anyone expected."],
)  # fmt: skip
def test_sentences_are_not_section_headers(text: str) -> None:
    assert not is_section_header(text)


@pytest.mark.parametrize(
    "text",
    [
        "Baca juga: Pasukan CSTO mulai ditarik dari Kazakhstan",
        "BACA JUGA : Presiden tiba di Almaty",
        "(vyp/kna)",
        "(ant/mdk)",
        "Copyright © 2022 RMOL. All rights reserved.",
        "© 2024 Example News",
        "Hak cipta dilindungi undang-undang",
        "Editor: Ade Marboen",
        "Cek berita dan artikel yg lain di Google News",
        "Lesen Sie auch: Die Bahn streikt wieder",
        "Il vous reste 57.09% de cet article à lire.",
        "Penulis : Ferril Dennys",
        "Dieser Eintrag wurde veröffentlicht in Podcast und verschlagwortet mit berlin von Simon.",
        "War der Artikel nützlich?",
        "Published Aug 28, 2024 • Last updated 1 hour ago • 4 minute read",
        "Lesezeit: 2 Min.",
        "Temukan berita-berita hangat terpercaya dari Kantor Berita Politik RMOL di Google News.",
        "Untuk mengikuti silakan klik tanda bintang.",
        "Follow us on Google News to get the latest stories first.",
    ],
)
def test_furniture_lines(text: str) -> None:
    assert is_furniture_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Editors at the newspaper said the report was accurate.",
        "Baca buku ini sebelum tidur, kata dokter anak yang ditemui di Jakarta.",
        "(Reuters) The central bank raised rates on Tuesday.",
        # A paragraph about a platform is longer than a call to follow the site on it.
        "Google News changed its ranking this week, and publishers in Indonesia say their traffic from the "
        "aggregator fell by a third within days of the update.",
    ],
)
def test_prose_is_not_a_furniture_line(text: str) -> None:
    assert not is_furniture_line(text)


@pytest.mark.parametrize(
    "text",
    ["Kamis, 20 Januari 2022, 06:53 WIB", "Selasa, 23 Februari 2016 14:49 WIB | 1.999 Views", "08/1/2026 20:19",
     "Published Jun 04, 2026", "2 jam lalu", "Publié le 30 août 2023 à 14h52", "Do 25.04.24 | 14:07 Uhr"],
)  # fmt: skip
def test_datelines(text: str) -> None:
    assert is_dateline(text)


def test_a_long_sentence_with_a_date_is_not_a_dateline() -> None:
    sentence = "The council met on 20 January 2022 and voted to extend the program for another full year of work."
    assert not is_dateline(sentence)
