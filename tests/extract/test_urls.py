from __future__ import annotations

import pytest

from warta.extract.urls import looks_like_article_url


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
