"""The author chooser: the candidates the page offers, their features, and the choice the scorer makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import warta
from tests.conftest import page
from warta.extract import authors
from warta.extract.html import extract_html, extract_reading
from warta.extract.learned import Models, Scorer
from warta.extract.people import as_written, handle, people_in, tail_byline

PROSE = "".join(
    f"<p>The river rose by two metres overnight and the road along it is shut for now, part {i}.</p>" for i in range(4)
)
URL = "https://www.dailyplanet.example/2024/05/02/floods"


def _meta(html: str, url: str = URL) -> Any:
    _article, meta = extract_reading(html, url, models=Models.none())
    assert meta is not None
    return meta


def _offered(html: str, url: str = URL) -> dict[str, list[str]]:
    meta = _meta(html, url)
    return {
        source: [person.name for person in people]
        for source, people, _declared in (*meta.author_candidates, *meta.author_extras)
        if people
    }


def test_each_set_of_names_is_one_candidate_and_a_byline_of_several_offers_each_name() -> None:
    ld = '{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}'
    head = f"<meta name='author' content='Jane Doe'><script type='application/ld+json'>{ld}</script>"
    byline = "<div class='byline'>By Jane Doe and Reviewed Person</div>"
    meta = _meta(page(f"<article><h1>Floods close the road</h1>{byline}{PROSE}</article>", head=head))
    found = authors.candidates(meta)
    by_names = {tuple(person.name for person in candidate.people): candidate for candidate in found}
    assert ("Jane Doe", "Reviewed Person") in by_names
    single = by_names[("Jane Doe",)]
    assert single.raw  # given alone by JSON-LD and the meta tag
    assert single.part  # and one name of the byline's two
    assert single.source == "json-ld"
    rows = authors.feature_rows(found, meta, URL)
    column = {name: index for index, name in enumerate(authors.FEATURES)}
    assert all(len(row) == len(authors.FEATURES) for row in rows)
    assert rows[found.index(single)][column["agree"]] >= 2
    assert rows[found.index(single)][column["part_of"]] >= 1
    assert rows[found.index(single)][column["rules_pick"]] == 1.0  # JSON-LD comes first for the rules
    assert rows[found.index(by_names[("Jane Doe", "Reviewed Person")])][column["rules_pick"]] == 0.0


def test_forum_thread_starters_and_organisation_authors_are_candidates() -> None:
    ld = (
        '{"@type": "DiscussionForumPosting", "headline": "Which tyres?", '
        '"author": {"@type": "Person", "name": "delta201"}}'
    )
    org = '{"@type": "NewsArticle", "author": {"@type": "NewsMediaOrganization", "name": "Redaktion hessenschau.de"}}'
    head = f"<script type='application/ld+json'>{ld}</script><script type='application/ld+json'>{org}</script>"
    body = f"<h1>Which tyres?</h1><article data-author='ron1cne'>{PROSE}</article>"
    offered = _offered(page(body, head=head))
    assert offered["json-ld:other"] == ["delta201"]
    assert offered["json-ld:organization"] == ["Redaktion hessenschau.de"]
    assert offered["dom:data-author"] == ["ron1cne"]


def test_an_author_mark_past_the_byline_block_is_a_candidate_of_its_own() -> None:
    byline = "<div class='meta'><span class='author'>By Jane Doe</span></div>"
    box = "<div class='author-box'><span class='author-name'>Martin Junker</span></div>"
    offered = _offered(page(f"<article><h1>Floods close the road</h1>{byline}{PROSE}{box}</article>"))
    assert offered["dom:byline"] == ["Jane Doe"]  # the box is not the byline block
    assert offered["dom:byline-later"] == ["Martin Junker"]


def test_a_label_alone_on_its_line_names_the_people_on_the_next() -> None:
    body = f"<article><h1>Floods close the road</h1><p><strong>Autor</strong></p><p>Todd Bates</p>{PROSE}</article>"
    assert _offered(page(body, lang="de"))["text:after-label"] == ["Todd Bates"]


def test_credits_as_written_keep_desks_and_agencies_that_people_in_drops() -> None:
    assert people_in("Redaktion") == []
    assert as_written("Redaktion") == ["Redaktion"]
    assert as_written("Von: det/dpa") == ["det", "dpa"]
    assert as_written("Redaktion Polizeiticker Schweiz") == ["Redaktion Polizeiticker Schweiz"]  # a desk's name
    assert as_written("https://example.com/author/x") == []


def test_logins_dates_before_a_by_and_invisible_characters() -> None:
    assert handle("delta201") is not None
    assert handle("https://forum.example.com/u/1") is None
    assert [p.name for p in tail_byline("Posted on September 21, 2020 by Adi Tzlil")] == ["Adi Tzlil"]
    assert [p.name for p in people_in("Von Mat\u00adthi\u00adas Lauerer")] == ["Matthias Lauerer"]
    assert [p.name for p in people_in("Autoren: Jelko Djuren und Jutta Klaukien")] == ["Jelko Djuren", "Jutta Klaukien"]
    assert [p.name for p in people_in("Interview: Julia Lauter")] == ["Julia Lauter"]


@dataclass
class _Booster:
    favoured: tuple[str, ...]
    names: list[tuple[str, ...]]
    probability: float = 0.9

    def predict(self, matrix: Any, num_threads: int = 1) -> list[float]:
        return [self.probability if names == self.favoured else 0.05 for names in self.names]


BYLINE_PAGE = page(
    f"<article><h1>Floods close the road</h1><div class='byline'>By Jane Doe</div>{PROSE}</article>",
    head="<meta name='author' content='Desk Writer'>",
)


def _names(html: str) -> list[tuple[str, ...]]:
    return [tuple(p.name for p in c.people) for c in authors.candidates(_meta(html))]


def test_the_scorer_picks_the_authors_and_says_so() -> None:
    names = _names(BYLINE_PAGE)
    assert ("Jane Doe",) in names
    assert ("Desk Writer",) in names
    scorer = Scorer("authors", 1, authors.FEATURES, 0.5, _Booster(("Jane Doe",), names))
    article = extract_html(BYLINE_PAGE, URL, models=Models(authors=scorer))
    assert [p.name for p in article.authors] == ["Jane Doe"]
    assert article.provenance["authors"] == "dom:byline, chosen by author model v1"


def test_below_the_threshold_the_rules_pick_stands() -> None:
    names = _names(BYLINE_PAGE)
    scorer = Scorer("authors", 1, authors.FEATURES, 0.5, _Booster(("Jane Doe",), names, probability=0.3))
    article = extract_html(BYLINE_PAGE, URL, models=Models(authors=scorer))
    assert [p.name for p in article.authors] == ["Desk Writer"]  # the meta tag, the rules' first source
    assert article.provenance["authors"] == "meta:author"


def test_the_shipped_author_model_reads_the_features_the_code_computes() -> None:
    scorer = Models.shipped().authors
    assert scorer is not None
    assert scorer.features == authors.FEATURES
    forum = (
        "<ul><li><span>Thread starter</span><a href='/members/futurebsd.5/' class='username'>FutureBSD</a></li></ul>"
        f"<article class='message' data-author='FutureBSD'><h1>Jails on ZFS</h1>{PROSE}</article>"
    )
    article = warta.extract(page(forum), "https://forums.example.org/threads/jails.5/")
    assert [p.name for p in article.authors] == ["FutureBSD"]
    assert "author model" in article.provenance["authors"]
