"""Section and tags from what readers see when the page declares none: breadcrumbs and tag links."""

from __future__ import annotations

import json

import pytest

import warta
from tests.conftest import page

URL = "https://news.example.org/politik/2024/council-extends-program"
HEADLINE = "Council extends program for another year"
PROSE = (
    "<p>The council voted on Tuesday to extend the program for another year, citing strong demand from "
    "residents and a budget surplus that officials said would cover the cost.</p>"
)


def article(before: str = "", after: str = "", head: str = "") -> str:
    return page(f"{before}<article><h1>{HEADLINE}</h1>{PROSE}{PROSE}{after}</article>", head)


def json_ld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def breadcrumb_list(*entries: tuple[str, str | None]) -> str:
    items = []
    for position, (name, url) in enumerate(entries, start=1):
        item: dict[str, object] = {"@type": "ListItem", "position": position, "name": name}
        if url:
            item["item"] = url
        items.append(item)
    return json_ld({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})


DOM_BREADCRUMB = (
    "<nav aria-label='Breadcrumb'><ol>"
    "<li><a href='/'>Startseite</a> ›</li><li><a href='/politik'>Politik</a> ›</li>"
    "<li><a href='/politik/inland'>Inland</a> ›</li>"
    f"<li aria-current='page'>{HEADLINE}</li>"
    "</ol></nav>"
)
TAGS = "<ul class='tags'><li><a href='/t/council'>Council</a></li><li><a href='/t/budget'>Budget</a></li></ul>"


def test_json_ld_breadcrumb_gives_the_section() -> None:
    trail = breadcrumb_list(
        ("Home", "https://news.example.org/"),
        ("Politik", "https://news.example.org/politik"),
        (HEADLINE, URL),
    )
    extracted = warta.extract(article(head=trail), url=URL)
    assert extracted.section == "Politik"
    assert extracted.provenance["section"] == "json-ld:breadcrumb"


def test_json_ld_breadcrumb_inside_a_graph_webpage() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": URL, "breadcrumb": {"@id": URL + "#breadcrumb"}},
            {
                "@type": "BreadcrumbList",
                "@id": URL + "#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 2, "name": "Wirtschaft", "item": "/wirtschaft"},
                    {"@type": "ListItem", "position": 1, "name": "Beranda", "item": "/"},
                ],
            },
        ],
    }
    assert warta.extract(article(head=json_ld(graph)), url=URL).section == "Wirtschaft"


def test_dom_breadcrumb_gives_the_section_and_skips_home_and_the_headline() -> None:
    extracted = warta.extract(article(before=DOM_BREADCRUMB), url=URL)
    assert extracted.section == "Inland"
    assert extracted.provenance["section"] == "dom:breadcrumb"


def test_a_breadcrumb_of_home_and_the_article_names_no_section() -> None:
    # The article's entry links to a short address, not the page's: only its text says it is the headline.
    trail = f"<div class='breadcrumbs'><a href='/'>Accueil</a> / <a href='/p/12345'>{HEADLINE}</a></div>"
    assert warta.extract(article(before=trail), url=URL).section is None


def test_declared_section_beats_the_breadcrumb() -> None:
    head = "<meta property='article:section' content='News'>"
    extracted = warta.extract(article(before=DOM_BREADCRUMB, head=head), url=URL)
    assert extracted.section == "News"
    assert extracted.provenance["section"] == "meta:article:section"


def test_rel_tag_links_give_tags() -> None:
    links = (
        "<footer class='entry-footer'><a href='/category/local' rel='category tag'>Local</a> "
        "<a href='/tag/council' rel='tag'>Council</a>, <a href='/tag/budget' rel='tag'>Budget</a>, "
        "<a href='/tag/budget-2' rel='tag'>budget</a></footer>"
    )
    extracted = warta.extract(article(after=links), url=URL)
    assert extracted.tags == ("Council", "Budget")
    assert extracted.provenance["tags"] == "dom:rel-tag"


def test_a_tag_list_gives_tags() -> None:
    extracted = warta.extract(article(after="<h3>Tags</h3>" + TAGS), url=URL)
    assert extracted.tags == ("Council", "Budget")
    assert extracted.provenance["tags"] == "dom:tag-list"


@pytest.mark.parametrize(
    "furniture",
    [
        "<p class='tagline'><a href='/about'>News you can trust</a></p>",
        "<div class='stage'><a href='/a'>Top story</a><a href='/b'>Other story</a></div>",
        "<nav class='menu'><ul class='topics'><li><a href='/t/x'>Weather</a></li></ul></nav>",
    ],
)
def test_taglines_stages_and_menus_give_no_tags(furniture: str) -> None:
    extracted = warta.extract(article(before=furniture), url=URL)
    assert extracted.tags == ()
    assert "tags" not in extracted.provenance


def test_a_list_of_headlines_named_topics_gives_no_tags() -> None:
    teasers = (
        "<div class='more-topics'>"
        "<a href='/a'>Mayor announces a sweeping new plan to rebuild the old harbour district</a>"
        "<a href='/b'>Residents protest against the closure of the only library in town</a></div>"
    )
    assert warta.extract(article(after=teasers), url=URL).tags == ()


def test_declared_keywords_beat_dom_tags() -> None:
    head = "<meta name='keywords' content='city, vote'>"
    extracted = warta.extract(article(after=TAGS, head=head), url=URL)
    assert extracted.tags == ("city", "vote")
    assert extracted.provenance["tags"] == "meta:keywords"


def test_a_declared_section_that_is_really_a_paragraph_is_refused() -> None:
    standfirst = "Staying ahead of fitness trends keeps personal trainers competitive and in demand. " * 2
    ld = json.dumps({"@type": "BlogPosting", "headline": "Trends", "articleSection": standfirst})
    head = f"<script type='application/ld+json'>{ld}</script><meta property='article:section' content='Fitness'>"
    article = warta.extract(page("<article><h1>Trends</h1><p>Some text of the post here.</p></article>", head=head))
    assert article.section == "Fitness"
