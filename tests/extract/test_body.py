"""The body extractor's choices, each on a page built to need it.

Where a test names `models=RULES`, it pins a rule that the body scorer builds on (the rules' pick is one
of its features, and its fallback); the scorer itself is judged out-of-fold on real pages by the
benchmarks, where these built pages would teach nothing.
"""

from __future__ import annotations

import json

import warta
from tests.conftest import page
from warta.extract.html import extract_html
from warta.extract.learned import Models
from warta.extract.runs import text_size
from warta.models import BlockKind, PageKind

PARAGRAPHS = [
    "Pasukan CSTO mulai ditarik dari Kazakhstan setelah situasi di Almaty dinyatakan kembali kondusif oleh pemerintah.",
    "Presiden Kassym-Jomart Tokayev mengatakan misi pasukan penjaga perdamaian itu telah selesai dengan sukses.",
    "Penarikan pasukan akan berlangsung secara bertahap dan diperkirakan rampung dalam sepuluh hari ke depan.",
    "Kerusuhan yang dipicu kenaikan harga bahan bakar itu menewaskan puluhan orang dan melukai ribuan lainnya.",
]
RULES = Models.none()
URL = "https://news.example.id/read/2022/01/20/123456/pasukan-csto-mulai-ditarik-dari-kazakhstan"


def _article(inner: str) -> str:
    return page(f"<article><h1>Pasukan CSTO ditarik</h1>{inner}</article>", lang="id")


def _paragraphs() -> str:
    return "".join(f"<p>{text}</p>" for text in PARAGRAPHS)


def test_furniture_lines_inside_the_body_are_dropped() -> None:
    inner = (
        "<p>Kamis, 20 Januari 2022, 06:53 WIB</p>"
        f"<p>{PARAGRAPHS[0]}</p><p>Baca juga: <a href='/x'>Tokayev tunjuk perdana menteri baru</a></p>"
        f"<p>{PARAGRAPHS[1]}</p><p>BACA JUGA: Harga bahan bakar turun lagi</p><p>{PARAGRAPHS[2]}</p>"
        f"<p>{PARAGRAPHS[3]}</p><p>(vyp/kna)</p><p>Copyright © 2022 Berita Contoh. All rights reserved.</p>"
    )
    article = warta.extract(_article(inner), URL)
    assert [block.text for block in article.body] == PARAGRAPHS


def test_a_related_block_after_the_article_is_cut() -> None:
    teasers = "".join(
        f"<div><span>20/01/2022</span><p>Ringkasan berita lain nomor {i} yang tidak berhubungan, tulis redaksi.</p>"
        "</div>"
        for i in range(5)
    )
    inner = f"{_paragraphs()}<h3>ARTIKEL LAINNYA</h3>{teasers}"
    article = warta.extract(_article(inner), URL)
    assert [block.text for block in article.body] == PARAGRAPHS


def test_a_related_box_inside_the_article_does_not_end_it() -> None:
    links = "".join(f"<li><a href='/r/{i}'>Judul berita terkait yang lain nomor {i}</a></li>" for i in range(4))
    box = f"<div class='box'><h3>Berita Terkait</h3><ul>{links}</ul></div>"
    texts = PARAGRAPHS + [f"{text[:-1]}, menurut laporan kantor berita setempat." for text in PARAGRAPHS]
    paragraphs = [f"<p>{text}</p>" for text in texts]
    article = extract_html(_article("".join(paragraphs[:5]) + box + "".join(paragraphs[5:])), URL, models=RULES)
    assert [block.text for block in article.body] == texts


def test_a_river_of_teaser_cards_does_not_widen_the_container() -> None:
    cards = "".join(
        f"<div class='card'><h3><a href='/s{i}'>Another headline about something else, number {i}</a></h3>"
        f"<p>A one-sentence summary of that other story, which is long enough to look like prose {i}.</p>"
        f"<span>{i} hours ago</span></div>"
        for i in range(6)
    )
    html = page(f"<div><article><h1>Main story</h1>{_paragraphs()}</article><section>{cards}</section></div>")
    article = extract_html(html, URL, models=RULES)
    assert article.kind is PageKind.ARTICLE
    assert [block.text for block in article.body] == PARAGRAPHS


def test_a_page_of_teaser_cards_is_a_listing() -> None:
    cards = "".join(
        f"<div class='card'><h3><a href='/s{i}'>A headline about a story in the city, number {i}</a></h3>"
        f"<p>A one-sentence summary of that story, long enough to look like prose, number {i}.</p></div>"
        for i in range(20)
    )
    article = warta.extract(page(f"<main>{cards}</main>"), "https://news.example.com/world")
    assert article.kind is PageKind.LISTING
    assert "A headline about a story in the city, number 7" in article.text


def test_a_complete_declared_body_guides_the_container() -> None:
    # Structurally, the wrapper of the article and the author's biography weighs most; the declared body
    # says the article is the first part only.
    paragraphs = [f"{text} ({i})" for i in (1, 2) for text in PARAGRAPHS]
    bio = "<div><p>" + " ".join(["The author has written about politics in the region for many years."] * 6)
    bio += "</p></div>"
    ld = json.dumps({"@type": "NewsArticle", "headline": "Pasukan", "articleBody": "\n".join(paragraphs)})
    inner = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = page(f"<div><div>{inner}</div>{bio}</div>", f'<script type="application/ld+json">{ld}</script>')
    article = warta.extract(html, URL)
    assert [block.text for block in article.body] == paragraphs
    assert "json-ld:articleBody" in article.provenance["body"]


def test_a_truncated_declared_body_is_ignored() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Pasukan", "articleBody": PARAGRAPHS[0] * 3})
    html = page(f"<div>{_paragraphs()}</div>", f'<script type="application/ld+json">{ld}</script>')
    article = warta.extract(html, URL)
    assert [block.text for block in article.body] == PARAGRAPHS
    assert "articleBody" not in article.provenance["body"]


def test_repeated_lines_are_printed_once_and_repeated_labels_not_at_all() -> None:
    pitch = "<ul><li>Unlimited online access to all our news sites with one account.</li><li>Daily puzzles.</li></ul>"
    inner = f"<p>{PARAGRAPHS[0]}</p>{pitch}<p>Article content</p><p>{PARAGRAPHS[1]}</p>{pitch}<p>Article content</p>"
    rest = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[2:])
    text = warta.extract(_article(inner + rest), URL).text
    assert text.count("Unlimited online access") == 1
    assert "Article content" not in text


def test_the_site_footer_is_not_the_article_but_the_article_footer_is() -> None:
    about = (
        "Berita Contoh adalah media daring yang menyajikan berita politik, ekonomi dan olahraga setiap hari.",
        "Redaksi kami bekerja di Jakarta dan menerima surat pembaca, kritik dan koreksi melalui surel yang tertera.",
    )
    site_footer = "<footer>" + "".join(f"<p>{text}</p>" for text in about) + "</footer>"
    text = warta.extract(page(f"<div><h1>Pasukan CSTO ditarik</h1>{_paragraphs()}</div>{site_footer}"), URL).text
    assert PARAGRAPHS[3] in text
    assert about[0] not in text

    own_footer = f"<footer><p>{about[1]}</p></footer>"
    text = extract_html(page(f"<article>{_paragraphs()}{own_footer}</article>"), URL, models=RULES).text
    assert about[1] in text


def test_a_marked_body_full_of_links_is_still_the_article() -> None:
    sources = "".join(f"<li><a href='/s/{n}'>Sumber dokumen resmi pemerintah nomor {n}</a></li>" for n in range(20))
    body = f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p><ul>{sources}</ul><p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[3]}</p>"
    article = warta.extract(page(f"<div itemprop='articleBody'>{body}</div>"), URL)
    assert article.kind is PageKind.ARTICLE
    assert all(paragraph in article.text for paragraph in PARAGRAPHS)


def test_a_data_table_reads_as_rows_and_a_layout_table_as_paragraphs() -> None:
    rows = [("Kota", "Korban"), ("Almaty", "3"), ("Taraz", "3"), ("Shymkent", "3")]
    table = "<table>" + "".join(f"<tr><td>{city}</td><td>{count}</td></tr>" for city, count in rows) + "</table>"
    article = warta.extract(_article(_paragraphs() + table), URL)
    table_rows = [block for block in article.body if block.kind is BlockKind.TABLE_ROW]
    # Each row is one block; the repeated "3" cells survive because they are not lines of their own.
    assert [block.text for block in table_rows] == [f"{city} | {count}" for city, count in rows]

    layout = f"<table><tr><td><a href='/'>Home</a></td><td>{_paragraphs()}</td></tr></table>"
    article = warta.extract(_article(layout), URL)
    assert [(block.kind, block.text) for block in article.body] == [(BlockKind.PARAGRAPH, p) for p in PARAGRAPHS]


def test_ideographs_count_as_more_than_one_latin_character() -> None:
    assert text_size("abc") == 3
    assert text_size("気象庁は13日") == 3 * 5 + 2
    assert text_size("한국일보") == 8


def test_an_article_shipped_as_a_script_template_is_read() -> None:
    paragraphs = [f"{text} ({i})" for i in (1, 2) for text in PARAGRAPHS]
    template = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = page(
        f"<div class='post-body' itemprop='articleBody'><script type='text/template'>{template}</script></div>"
        "<script type='text/template'><p>A UI template elsewhere on the page is not the article body.</p></script>"
    )
    article = warta.extract(html, URL)
    assert [block.text for block in article.body] == paragraphs


def test_an_article_in_a_script_payload_is_found_when_the_page_has_none() -> None:
    paragraphs = [f"{text} ({i})" for i in (1, 2, 3) for text in PARAGRAPHS]
    payload = json.dumps({"article": {"contentHtml": "".join(f"<p class='p'>{text}</p>" for text in paragraphs)}})
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")
    html = page(f"<div id='root'></div><script>window.__DATA__ = {payload};</script>")
    article = warta.extract(html, URL)
    assert [block.text for block in article.body] == paragraphs
    assert article.provenance["body"].startswith("script:embedded-html")
    # A page with an article of its own is not searched.
    own = page(f"<article>{_paragraphs()}</article><script>window.__DATA__ = {payload};</script>")
    assert warta.extract(own, URL).provenance["body"].startswith("dom")
