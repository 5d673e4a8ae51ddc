from __future__ import annotations

import pytest

from warta.extract.urls import looks_like_article_url, web_url


@pytest.mark.parametrize(
    "url",
    [
        "http://www.antaranews.com/berita/527615/29-penerbangan-bandara-internasional-lombok-dibatalkan",
        "http://regional.kompas.com/read/2015/11/04/21040031/Polres.Lhokseumawe.Serahkan.Anggota",
        "https://www.hankookilbo.com/news/article/A2026012914320005196",
        "https://example.com/blog/how-to-grow-tomatoes-in-pots.html",
    ],
)
def test_story_urls(url: str) -> None:
    assert looks_like_article_url(url)


@pytest.mark.parametrize(
    "url",
    ["https://www.bbc.com/news", "https://www.wired.com/category/science/", "https://x.com/", None, "http://[::1"],
)
def test_section_urls(url: str | None) -> None:
    assert not looks_like_article_url(url)


@pytest.mark.parametrize(
    ("base", "reference", "expected"),
    [
        ("https://rmol.id/read/1", "/img/a.jpg", "https://rmol.id/img/a.jpg"),
        ("https://rmol.id/read/1", "  https://cdn.rmol.id/b.jpg ", "https://cdn.rmol.id/b.jpg"),
        ("https://rmol.id/read/1", "javascript:alert(1)", None),
        ("https://rmol.id/read/1", "JAVASCRIPT:alert(1)", None),
        ("https://rmol.id/read/1", "data:image/png;base64,AAAA", None),
        ("https://rmol.id/read/1", "", None),
        (None, "img/a.jpg", "img/a.jpg"),
    ],
)
def test_only_web_links_are_kept(base: str | None, reference: str, expected: str | None) -> None:
    assert web_url(base, reference) == expected


def test_script_urls_in_a_page_do_not_reach_the_article() -> None:
    import warta

    html = (
        '<html><head><meta property="og:image" content="javascript:alert(1)">'
        '<link rel="canonical" href="javascript:alert(2)"></head><body><article><h1>T</h1>'
        + "<p>Kalimat yang cukup panjang untuk dianggap sebagai paragraf berita oleh pengekstrak ini.</p>" * 3
        + '<figure><img src="javascript:alert(3)"><figcaption>Foto</figcaption></figure></article></body></html>'
    )
    article = warta.extract(html, url="https://rmol.id/read/1")
    assert article.canonical_url == "https://rmol.id/read/1"
    assert all(image.url is None or image.url.startswith("https://") for image in article.images)
