"""Photo credits split from captions, and the outlets an article attributes its content to."""

from __future__ import annotations

import pytest

import warta
from tests.conftest import page
from warta.extract.credits import sources_in, split_credit


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        ("Pasukan CSTO di Kota Almaty saat kerusuhan/Net", "Pasukan CSTO di Kota Almaty saat kerusuhan", "Net"),
        (
            "Warga menonton pesawat (ANTARA FOTO/Ahmad Subaidi/wdy)",
            "Warga menonton pesawat",
            "ANTARA FOTO/Ahmad Subaidi",
        ),
        ("Presiden di Istana. Foto: Istimewa", "Presiden di Istana", "Istimewa"),
        ("A man walks past the bank. Photo by Jane Doe", "A man walks past the bank", "Jane Doe"),
        ("Die Kanzlerin in Berlin. Bild: dpa", "Die Kanzlerin in Berlin", "dpa"),
        (
            "Chelsea fans produced a banner backing Conor Gallagher",
            "Chelsea fans produced a banner backing Conor Gallagher",
            None,
        ),
        ("Harga cabai naik 1/2 kali lipat", "Harga cabai naik 1/2 kali lipat", None),
        (
            "KOMPAS.COM/MASRIADI Penyidik menyerahkan senjata AK 56 ke Kejaksaan",
            "Penyidik menyerahkan senjata AK 56 ke Kejaksaan",
            "KOMPAS.COM/MASRIADI",
        ),
        ("ANTARA FOTO/Ahmad Subaidi/wdy", None, "ANTARA FOTO/Ahmad Subaidi"),
        ("Reuters reported that the talks had stalled", "Reuters reported that the talks had stalled", None),
    ],
)
def test_captions_and_credits(text: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


def test_sources_are_outlets_named_after_attribution_cues() -> None:
    paragraphs = [
        "(Reuters) - The central bank raised rates on Tuesday.",
        "Kata menteri itu, seperti dikutip dari Euro News.",
        "According to Smith, the talks went well; according to the BBC, they did not.",
    ]
    assert sources_in(paragraphs) == ["Reuters", "Euro News", "BBC"]


def test_figures_and_sources_reach_the_article() -> None:
    figure = (
        "<figure><img src='/a.jpg'><figcaption>Pasukan CSTO di Kota Almaty saat kerusuhan/Net</figcaption></figure>"
    )
    prose = (
        "<p>Situasi Kazakhstan setelah kerusuhan massal yang mematikan bisa dikatakan normal dan cukup kondusif.</p>"
        "<p>Menteri itu menegaskan kedaulatan negaranya tetap terjaga, seperti dikutip dari Euro News.</p>"
    )
    article = warta.extract(page(f"<article>{figure}{prose}</article>"), "https://rmol.id/read/2022/01/20/1")
    image = article.images[0]
    assert (image.url, image.caption, image.credit) == (
        "https://rmol.id/a.jpg",
        "Pasukan CSTO di Kota Almaty saat kerusuhan",
        "Net",
    )
    assert article.sources == ("Euro News",)


def test_a_credit_in_its_own_element_is_split_from_the_caption() -> None:
    caption = (
        "<figcaption>Warga menonton pesawat di Lombok <span class='photo-credit'>Foto: Budi Santoso</span></figcaption>"
    )
    prose = "<p>Penerbangan dari dan ke Bandara Internasional Lombok dibatalkan karena abu vulkanik Gunung Rinjani.</p>"
    article = warta.extract(page(f"<article><figure><img src='/b.jpg'>{caption}</figure>{prose}</article>"))
    image = article.images[0]
    assert (image.caption, image.credit) == ("Warga menonton pesawat di Lombok", "Budi Santoso")
