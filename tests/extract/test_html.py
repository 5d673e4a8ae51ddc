from __future__ import annotations

import json
from datetime import timedelta

import pytest

import warta
from tests.conftest import page
from tests.crawl.site import PARAGRAPHS, gallery_html
from warta.errors import NotHTMLError
from warta.extract.html import extract_html
from warta.extract.learned import Models
from warta.extract.selectors import classify
from warta.models import BlockKind, DateHints, PageKind

PROSE = (
    "The council voted on Tuesday to extend the program for another year, citing strong demand from "
    "residents and a budget surplus that officials said would cover the cost."
)

NAV = "<nav><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12)) + "</ul></nav>"
RELATED = (
    "<div class='related-articles'><h3>Related</h3><ul>"
    + "".join(f"<li><a href='/r{i}'>Another story about something else {i}</a></li>" for i in range(6))
    + "</ul></div>"
)
SHARE = "<div class='share-bar'>Share on Facebook Share on X Copy link to this article please</div>"


def article_page(extra_head: str = "") -> str:
    body = (
        f"{NAV}<main><article><h1>Council extends program</h1>{SHARE}"
        f"<p>{PROSE}</p><h2>What happens next</h2><p>{PROSE} Second.</p>"
        f"<blockquote><p>We are delighted with the outcome, said the mayor, speaking after the vote.</p>"
        f"</blockquote><ul><li>First point of the plan, explained at length here.</li>"
        f"<li>Second point of the plan, with more words.</li></ul>"
        f"<figure><img src='/img/a.jpg'><figcaption>The council chamber on Tuesday.</figcaption></figure>"
        f"<p>{PROSE} Third.</p>{RELATED}</article></main><footer>© 2024 Example News. All rights reserved.</footer>"
    )
    head = "<title>Council extends program | Example News</title>" + extra_head
    return page(body, head)


def test_body_keeps_prose_in_order_and_drops_furniture() -> None:
    article = warta.extract(article_page(), url="https://news.example.org/2024/council")
    texts = [b.text for b in article.body]
    assert texts[0] == PROSE
    assert texts[-1] == PROSE + " Third."
    joined = article.text
    for furniture in ("Section 3", "Share on Facebook", "Another story", "All rights reserved"):
        assert furniture not in joined
    assert "The council chamber" not in joined
    kinds = [b.kind for b in article.body]
    assert BlockKind.HEADING in kinds
    assert BlockKind.QUOTE in kinds
    assert kinds.count(BlockKind.LIST_ITEM) == 2


def test_text_joins_blocks_with_blank_lines() -> None:
    article = warta.extract(article_page())
    assert article.text == "\n\n".join(b.text for b in article.body)


def test_headline_drops_site_suffix_and_figure_caption_becomes_image() -> None:
    article = warta.extract(article_page(), url="https://news.example.org/2024/council")
    assert article.title == "Council extends program"
    captions = [i.caption for i in article.images]
    assert "The council chamber on Tuesday." in captions
    assert any(i.url == "https://news.example.org/img/a.jpg" for i in article.images)


def test_json_ld_fields_and_provenance() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council extends program",
        "datePublished": "2024-03-05T09:30:00+07:00",
        "author": [
            {"@type": "Person", "name": "Siti Rahma", "url": "/author/siti"},
            {"@type": "Organization", "name": "Example News"},
        ],
        "publisher": {"@type": "Organization", "name": "Example News"},
        "articleSection": "City",
        "keywords": "council, budget",
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    article = warta.extract(article_page(head), url="https://news.example.org/2024/council")
    assert [(p.name, p.url) for p in article.authors] == [("Siti Rahma", "https://news.example.org/author/siti")]
    assert article.published is not None
    assert article.published.utcoffset() == timedelta(hours=7)
    assert article.site_name == "Example News"
    assert article.section == "City"
    assert article.tags == ("council", "budget")
    assert article.provenance["published"] == "json-ld"
    data = article.to_dict()
    json.dumps(data)
    assert data["published"] == "2024-03-05T09:30:00+07:00"


def test_meta_tags_when_no_json_ld() -> None:
    head = (
        "<meta property='article:published_time' content='2023-11-02T21:34:19+07:00'>"
        "<meta name='author' content='By Jane Doe and John Roe'>"
        "<meta property='og:site_name' content='Example News'>"
        "<link rel='canonical' href='https://news.example.org/c/1'>"
    )
    article = warta.extract(article_page(head), url="https://news.example.org/2024/council?utm=x")
    assert [p.name for p in article.authors] == ["Jane Doe", "John Roe"]
    assert article.canonical_url == "https://news.example.org/c/1"
    assert article.provenance["published"] == "meta:article:published_time"


def test_language_is_declared_and_checked() -> None:
    article = warta.extract(article_page())
    assert article.language == "en"
    indonesian = " ".join(
        ["Pemerintah daerah memutuskan untuk memperpanjang program bantuan selama satu tahun lagi."] * 6
    )
    mislabelled = page(f"<article><p>{indonesian}</p></article>", lang="en")
    assert warta.extract(mislabelled).language == "id"


def test_br_separated_paragraphs_become_blocks() -> None:
    body = f"<div class='content'>{PROSE}<br><br>{PROSE} Again.<br/>\n<br/>{PROSE} Last.</div>"
    article = warta.extract(page(body))
    assert [b.text for b in article.body] == [PROSE, PROSE + " Again.", PROSE + " Last."]


def test_furniture_word_on_a_wrapper_of_everything_does_not_drop_the_article() -> None:
    body = (
        "<div class='layout has-sidebar menu-open share-enabled'>"
        f"<article><p>{PROSE}</p><p>{PROSE} Again.</p></article></div>"
    )
    assert warta.extract(page(body)).text.count("council voted") == 2


def test_listing_page_is_recognised() -> None:
    items = "".join(
        f"<li><a href='/a{i}'>Headline number {i} about an event in the city today</a></li>" for i in range(40)
    )
    menu = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))
    article = warta.extract(page(f"<nav><ul>{menu}</ul></nav><main><h1>Latest news</h1><ul>{items}</ul></main>"))
    assert article.kind is PageKind.LISTING
    # The listing's body is its teasers, without the site's menu.
    assert "Headline number 7 about an event" in article.text
    assert "Section 3" not in article.text


def test_declared_short_article_beside_link_lists_stays_an_article() -> None:
    items = "".join(f"<li><a href='/a{i}'>Another headline number {i} about the city</a></li>" for i in range(30))
    body = f"<article><h1>News</h1><p>{PROSE} {PROSE}</p></article><div><ul>{items}</ul></div>"
    # The rules need the page's word for it; the kind model reads the <article> and its headline as one.
    assert extract_html(page(body), models=Models.none()).kind is PageKind.LISTING
    assert warta.extract(page(body)).kind is PageKind.ARTICLE
    for models in (Models.none(), Models.shipped()):
        article = extract_html(page(body, '<meta property="og:type" content="article">'), models=models)
        assert article.kind is PageKind.ARTICLE
        assert article.text == f"{PROSE} {PROSE}"


@pytest.mark.parametrize(
    ("listed_by", "kind"),
    [
        (None, PageKind.LISTING),
        ("sitemap", PageKind.LISTING),
        ("rss", PageKind.ARTICLE),
        ("news-sitemap", PageKind.ARTICLE),
    ],
)
def test_a_page_a_feed_announced_is_an_article_however_many_teasers_surround_it(
    listed_by: str | None, kind: PageKind
) -> None:
    # A photo story: one line of text, ten captioned photos, a related list longer than the story. A plain
    # sitemap lists category pages too, so only a feed or a news sitemap speaks for the page.
    html = gallery_html(1, "Halte baru di kawasan utara dibuka")
    hints = DateHints(listed_by=listed_by) if listed_by else None
    # The rules alone: the kind model may read the page as an article on its own (next test).
    article = extract_html(html, "https://kabar.example.id/berita/1", hints=hints, models=Models.none())
    assert article.kind is kind
    if kind is PageKind.ARTICLE:
        assert [block.text for block in article.body] == [PARAGRAPHS[0]]


def test_the_kind_model_keeps_a_story_the_rules_read_as_a_listing() -> None:
    # The same photo story at a story's URL (a date and a slug): the rules still see a listing, the kind
    # model an article, and the body is the story's line, not the related list.
    html = gallery_html(1, "Halte baru di kawasan utara dibuka")
    url = "https://kabar.example.id/2024/05/01/halte-baru-di-kawasan-utara-dibuka"
    assert extract_html(html, url, models=Models.none()).kind is PageKind.LISTING
    article = extract_html(html, url)
    assert article.kind is PageKind.ARTICLE
    assert "kind model" in article.provenance["body"]
    assert [block.text for block in article.body] == [PARAGRAPHS[0]]


def test_styles_inside_a_heading_are_not_its_text() -> None:
    # CSS-in-JS themes put <style> elements inside the headline; a reader sees none of it.
    heading = (
        "<h1><style>.css-1a8e{cursor:pointer}</style>Augustinus Bader <span><style>.x{}</style>The Cream</span></h1>"
    )
    article = warta.extract(
        page(f"<article>{heading}<p>{'A face cream that sells out every spring. ' * 5}</p></article>")
    )
    assert article.title == "Augustinus Bader The Cream"


def test_plain_text_is_not_html() -> None:
    with pytest.raises(NotHTMLError):
        warta.extract("Just a line of text with a <b>tag</b>.\nAnd another line.")


def test_deeply_nested_page_does_not_crash() -> None:
    depth = 5000
    html = page("<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth)
    article = warta.extract(html)
    assert PROSE in article.text


def test_broken_html_still_extracts() -> None:
    html = f"<html><body><div><p>{PROSE}<p>{PROSE} Two.<div><table><tr><td>x</div></body>"
    assert "Two." in warta.extract(html).text


def test_script_rendered_page_falls_back_to_noscript_content() -> None:
    shell = page(
        "<div id=app></div><noscript><article><h1>Forum topic</h1>"
        + "".join(f"<p>{PROSE} ({i})</p>" for i in range(4))
        + "</article></noscript>"
    )
    assert warta.extract(shell).text.count("council voted") == 4
    with_content = page(
        f"<article><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></article><noscript>Enable JS</noscript>"
    )
    assert "Enable JS" not in warta.extract(with_content).text


def test_source_newlines_are_spaces_and_single_br_is_a_line_break() -> None:
    body = (
        "<article><p>The council voted\non Tuesday to extend the program, citing demand."
        "<br>Second line here.</p></article>"
    )
    assert warta.extract(page(body)).text == (
        "The council voted on Tuesday to extend the program, citing demand.\nSecond line here."
    )


def test_a_feed_is_a_listing_of_its_entries() -> None:
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>ANTARA News</title>'
        "<link>https://www.antaranews.com</link><language>id</language>"
        "<item><title>29 penerbangan dibatalkan</title><link>https://x.id/1</link></item>"
        "<item><title>Gunung Rinjani meletus</title><link>https://x.id/2</link></item></channel></rss>"
    )
    article = warta.extract(feed.encode())
    assert article.kind is PageKind.LISTING
    assert [block.text for block in article.body] == ["29 penerbangan dibatalkan", "Gunung Rinjani meletus"]
    assert article.language == "id"
    assert article.canonical_url == "https://www.antaranews.com"


@pytest.mark.parametrize(
    ("class_attr", "id_attr", "expected"),
    [
        ("share-bar", None, (True, False, False)),
        ("article-type-commentary", None, (False, False, False)),  # a false friend cancels "comment"
        ("js-dynamic-advertorial bo-article-text", None, (False, False, True)),
        ("main Ad", None, (True, False, False)),  # whole-token ad classes only
        ("header-shadow", None, (False, False, False)),
        (None, "ad", (True, False, False)),
        ("menu-main", "Sidebar", (False, True, False)),
        ("intro-body__premium hidden", None, (True, False, False)),  # a framework's hiding class
        ("nav-links hidden lg:flex", None, (False, False, False)),  # hidden on phones only
        ("d-none d-md-block", None, (False, False, False)),
        ("overflow-hidden", None, (False, False, False)),
    ],
)
def test_class_words(class_attr: str | None, id_attr: str | None, expected: tuple[bool, bool, bool]) -> None:
    assert tuple(classify(class_attr, id_attr)) == expected


def test_ruby_annotations_are_not_body_text() -> None:
    ruby = "<ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>"
    sentence = f"<p>{ruby}をなくすための法律ができました。</p>" * 3
    article = warta.extract(page(f"<article>{sentence}</article>", lang="ja"))
    assert "子どもへの虐待をなくすための法律ができました。" in article.text
    assert "ぎゃくたい" not in article.text
