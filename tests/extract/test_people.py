"""Bylines: one test per byline form the issue names, and what is not a person."""

from __future__ import annotations

import pytest

import warta
from tests.conftest import page
from warta.extract.html import extract_html
from warta.extract.learned import Models
from warta.extract.people import agency, clean_name, people_in
from warta.models import Article, Person


def by_rules(html: str, url: str | None = None) -> Article:
    """The rules' reading, without the author model (whose choices the labelled sets decide)."""
    return extract_html(html, url, models=Models.none())


PROSE = "<p>Pasukan CSTO mulai ditarik dari Kazakhstan setelah situasi di Almaty dinyatakan kembali kondusif.</p>"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Laporan: Ade Marboen", [("Ade Marboen", "reporter")]),
        ("Penulis: Ade Marboen", [("Ade Marboen", "writer")]),
        ("Reporter : Ferril Dennys", [("Ferril Dennys", "reporter")]),
        ("Pewarta: Ahmad Subaidi", [("Ahmad Subaidi", "reporter")]),
        ("Editor: Reni Erina", [("Reni Erina", "editor")]),
        ("Redaktur: Aloysius Gonsaga", [("Aloysius Gonsaga", "editor")]),
        ("Oleh Ade Marboen", [("Ade Marboen", "writer")]),
        ("By Emily Norwood and Tom May", [("Emily Norwood", "writer"), ("Tom May", "writer")]),
        ("Penulis: Ade Marboen | Editor: RENI ERINA", [("Ade Marboen", "writer"), ("Reni Erina", "editor")]),
        ("Ursula von der Leyen", [("Ursula von der Leyen", None)]),  # a particle is not the German "Von" label
        ("Di Maria Rossi", [("Di Maria Rossi", None)]),
        ("Author  Posted by  Soliant Staffing", [("Soliant Staffing", "writer")]),  # labels in a row
        ("Elena Oberholzer (obe)", [("Elena Oberholzer", None)]),
        ("David Jackson - FullStack Editorial Team", [("David Jackson", None)]),
    ],
)
def test_byline_forms(byline: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(person.name, person.role) for person in people_in(byline)] == expected


@pytest.mark.parametrize(
    "byline",
    ["Redaksi", "Tim Redaksi", "Email the author", "ANTARA", "dpa", "d.kuckelkorn@boersen-zeitung.de", "mdr.de"],
)
def test_desks_agencies_and_addresses_are_not_people(byline: str) -> None:
    assert people_in(byline) == []


def test_an_author_page_address_gives_the_name_and_the_profile() -> None:
    assert people_in("https://www.thenation.com/authors/sarah-lazare/") == [
        Person("Sarah Lazare", None, "https://www.thenation.com/authors/sarah-lazare/")
    ]


def test_names_are_written_as_people_write_them() -> None:
    assert clean_name("RENI ERINA") == "Reni Erina"
    assert clean_name("AMELIA THOMSON-DEVEAUX") == "Amelia Thomson-Deveaux"
    assert clean_name("SEAN O'BRIEN") == "Sean O'Brien"
    assert clean_name("Maria VAN DER BERG") == "Maria VAN DER BERG"  # only an all-capitals name is recased
    assert agency("(Reuters)") == "Reuters"
    assert clean_name("chuck-ross") == "Chuck Ross"  # an author page's slug where the name belongs
    assert clean_name("q_admin") == "q_admin"  # a login is how its owner signs


@pytest.mark.parametrize("label", ["Updated on", "Topic Author", "Contributing Writer", "from the", "Posted on"])
def test_labels_printed_where_a_name_belongs_are_not_names(label: str) -> None:
    assert clean_name(label) is None
    assert clean_name(f"Linda {label.split()[-1].title()}") is not None  # a name with one such word stays


@pytest.mark.parametrize("credit", ["Image: Getty Images", "iStockphoto", "Photo: Reuters", "Shutterstock"])
def test_picture_credits_in_author_fields_are_not_people(credit: str) -> None:
    assert clean_name(credit) is None


def test_the_visible_byline_gives_people_roles_and_profiles_but_not_commenters() -> None:
    byline = (
        "<div class='read__author'>Penulis: <a href='/penulis/ade-marboen'>ADE MARBOEN</a></div>"
        "<div class='read__author'>Editor: <a href='/penulis/reni-erina'>Reni Erina</a></div>"
    )
    comments = "<div class='comments'><span class='comment-author'>Budi Santoso</span><p>Mantap.</p></div>"
    html = page(f"<article><h1>Pasukan CSTO ditarik</h1><div class='meta'>{byline}</div>{PROSE}</article>{comments}")
    url = "https://news.example.id/read/2022/01/20/pasukan-csto"
    by_rules = extract_html(html, url, models=Models.none())
    assert [(p.name, p.role, p.url) for p in by_rules.authors] == [
        ("Ade Marboen", "writer", "https://news.example.id/penulis/ade-marboen"),
        ("Reni Erina", "editor", "https://news.example.id/penulis/reni-erina"),
    ]
    assert by_rules.provenance["authors"] == "dom:byline"
    # The author model keeps the writer: the labelled sets credit the editor beside the byline, not as author.
    article = warta.extract(html, url)
    assert [(p.name, p.role, p.url) for p in article.authors] == [
        ("Ade Marboen", "writer", "https://news.example.id/penulis/ade-marboen")
    ]
    assert "author model" in article.provenance["authors"]


def test_the_publisher_is_not_the_author_unless_declared_a_person() -> None:
    organisation = '{"@type": "NewsArticle", "author": {"@type": "Thing", "name": "Berita Contoh"}}'
    site = "<meta property='og:site_name' content='Berita Contoh'>"
    head = f"{site}<script type='application/ld+json'>{organisation}</script>"
    assert by_rules(page(PROSE, head=head), "https://beritacontoh.id/a/1").authors == ()

    person = '{"@type": "BlogPosting", "author": {"@type": "Person", "name": "Rick Steves"}}'
    head = f"<meta property='og:site_name' content='Rick Steves'><script type='application/ld+json'>{person}</script>"
    for article in (by_rules(page(PROSE, head=head)), warta.extract(page(PROSE, head=head))):
        assert [p.name for p in article.authors] == ["Rick Steves"]


def test_a_page_that_names_no_author_gets_none_from_the_model() -> None:
    # The site's name alone is no author: the model only chooses among names the page gives as authors.
    head = "<meta property='og:site_name' content='Berita Contoh'><meta property='og:type' content='article'>"
    body = f"<article><h1>Judul berita ini</h1>{PROSE * 3}</article>"
    assert warta.extract(page(body, head=head), "https://beritacontoh.id/a/1").authors == ()


def test_the_model_takes_a_forum_thread_starter_not_the_label_beside_it() -> None:
    starter = (
        "<ul><li><span class='u-srOnly'>Thread starter</span>"
        "<a href='/members/delta201.42/' class='username'>delta201</a></li></ul>"
        "<article class='message' data-author='delta201'><div class='byline'>Topic Author</div>"
    )
    html = page(f"<h1>Which tyres for winter?</h1>{starter}{PROSE * 3}</article>")
    assert by_rules(html, "https://forum.example.com/threads/tyres.42/").authors != (Person("delta201"),)
    article = warta.extract(html, "https://forum.example.com/threads/tyres.42/")
    assert [p.name for p in article.authors] == ["delta201"]


def test_agency_authors_become_sources() -> None:
    ld = '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ahmad Subaidi"}, "ANTARA"]}'
    article = by_rules(page(PROSE, head=f"<script type='application/ld+json'>{ld}</script>"))
    assert [p.name for p in article.authors] == ["Ahmad Subaidi"]
    assert article.sources == ("ANTARA",)
    # The model may credit the agency beside the reporter, as the labelled sets do; it stays a source.
    article = warta.extract(page(PROSE, head=f"<script type='application/ld+json'>{ld}</script>"))
    assert "Ahmad Subaidi" in [p.name for p in article.authors]
    assert article.sources == ("ANTARA",)


def test_a_byline_printed_as_plain_text_under_the_headline() -> None:
    html = page(f"<article><h1>Pasukan CSTO ditarik</h1><p>Oleh Ade Marboen</p>{PROSE}</article>", lang="id")
    article = warta.extract(html, "https://news.example.id/read/2022/01/20/pasukan-csto")
    assert [(p.name, p.role) for p in article.authors] == [("Ade Marboen", "writer")]
    assert article.provenance["authors"].startswith("text:byline")


def test_a_desk_named_after_the_publisher_is_not_a_person() -> None:
    byline = "<div class='byline'>Von David Straub, MDR THÜRINGEN</div>"
    html = page(f"<article><h1>Fleischproduktion</h1>{byline}{PROSE}</article>", lang="de")
    article = by_rules(html, "https://www.mdr.de/nachrichten/fleisch-100.html")
    assert [p.name for p in article.authors] == ["David Straub"]


def test_a_publisher_declared_a_person_gives_way_to_a_named_byline() -> None:
    person = '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Krautreporter"}}'
    head = f"<meta property='og:site_name' content='Krautreporter'><script type='application/ld+json'>{person}</script>"
    body = f"<article><h1>Ein Text</h1><span class='author'>Shany Littman</span>{PROSE}</article>"
    article = warta.extract(page(body, head=head), "https://krautreporter.de/1234-ein-text")
    assert [p.name for p in article.authors] == ["Shany Littman"]


def test_co_authors_in_elements_of_their_own() -> None:
    names = "<span>Birgit Baumann</span> <span>Anna Giulia Fink</span> <span>Jan Michael Marchart</span>"
    byline = f"<div class='article-byline'>{names} <span>Stand</span></div>"
    article = warta.extract(page(f"<article><h1>Kalifat-Rufe</h1>{byline}{PROSE}</article>", lang="de"))
    assert [p.name for p in article.authors] == ["Birgit Baumann", "Anna Giulia Fink", "Jan Michael Marchart"]


def test_a_name_set_alone_in_bold_signs_the_article() -> None:
    body = f"<article><h1>From adversity to advocacy</h1><p><strong>Mohloai Mpesi</strong></p>{PROSE * 3}</article>"
    article = warta.extract(page(body))
    assert [p.name for p in article.authors] == ["Mohloai Mpesi"]
    assert article.provenance["authors"].startswith("dom:signature")
    assert "Mohloai Mpesi" not in article.text
    # A bold subhead in a sentence's place is no signature.
    body = f"<article><h1>From adversity to advocacy</h1><p><strong>The early years.</strong></p>{PROSE * 3}</article>"
    assert warta.extract(page(body)).authors == ()
