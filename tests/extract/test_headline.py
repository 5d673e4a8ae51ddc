"""Choosing the headline among the page's candidates."""

from __future__ import annotations

from warta.extract.headline import choose_headline, strip_site_name


def test_the_site_name_with_its_section_is_stripped_from_the_end() -> None:
    title = "Polres Lhokseumawe Serahkan Anggota ke Kejaksaan - Kompas.com Regional"
    assert (
        strip_site_name(title, "KOMPAS.com", "regional.kompas.com")
        == "Polres Lhokseumawe Serahkan Anggota ke Kejaksaan"
    )
    # A leading segment is stripped only when it is the site name itself.
    assert strip_site_name("Welpen kaufen – Tipps zu jeder Hunderasse", "Welpenkaufen24", None).startswith("Welpen")


def test_the_spelling_most_sources_agree_on_wins_but_typography_stays_visible() -> None:
    declared = "IHSG Hari Ini Sempat Tembus 9.000, Indeks Berbalik Melemah"
    h1 = "IHSG Hari Ini: Sempat Tembus 9.000, Indeks Berbalik Melemah"
    candidates = [("json-ld", declared), ("meta:og:title", declared), ("dom:title", declared)]
    assert choose_headline(candidates, h1, "Media Indonesia", None) == (declared, "json-ld")

    h1 = "Sheila Atim: „The Woman King zeigt weibliche Stärke“"
    straight = 'Sheila Atim: "The Woman King zeigt weibliche Stärke"'
    candidates = [("meta:og:title", straight), ("meta:twitter:title", straight)]
    assert choose_headline(candidates, h1, None, None) == (h1, "dom:h1")
