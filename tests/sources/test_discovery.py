from __future__ import annotations

import pytest

from warta.sources import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    common_feed_urls,
    common_sitemap_urls,
    feed_links,
    sitemaps_from_robots,
)

# A WordPress-run Indonesian news homepage: post feed, comment feed, REST API link, oEmbed, a category
# feed given relative to <base href>, an Atom and a JSON feed, a stylesheet and a repeat.
HOMEPAGE = """<!DOCTYPE html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <title>Contoh News - Berita Terkini</title>
  <base href="https://www.contohnews.id/kanal/">
  <link rel="stylesheet" href="/style.css" type="text/css">
  <link rel="alternate" type="application/rss+xml" title="Contoh News &raquo; Feed" href="https://www.contohnews.id/feed/">
  <link rel="alternate" type="application/rss+xml" title="Contoh News &raquo; Comments Feed"
        href="https://www.contohnews.id/comments/feed/">
  <link rel="alternate" type="application/json" href="https://www.contohnews.id/wp-json/wp/v2/pages/2">
  <link rel="alternate" type="application/json+oembed" href="https://www.contohnews.id/wp-json/oembed/1.0/embed">
  <link rel="Alternate Feed" type="Application/RSS+XML; charset=UTF-8" href="ekonomi/feed">
  <link rel="alternate" type="application/atom+xml" href="//www.contohnews.id/atom.xml#latest">
  <link rel="alternate" type="application/feed+json" href="/feed.json">
  <link rel="alternate" hreflang="en" href="https://en.contohnews.id/">
  <link rel="alternate" type="application/rss+xml" href="https://www.contohnews.id/feed/">
  <link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head>
<body><a href="/rss.xml" type="application/rss+xml">RSS</a></body>
</html>"""


def test_declared_feeds_in_document_order() -> None:
    assert feed_links(HOMEPAGE, "https://www.contohnews.id/") == [
        "https://www.contohnews.id/feed/",
        "https://www.contohnews.id/kanal/ekonomi/feed",
        "https://www.contohnews.id/atom.xml",
        "https://www.contohnews.id/feed.json",
    ]


def test_bytes_and_no_base_resolve_against_the_page() -> None:
    html = b'<html><head><link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    assert feed_links(html, "https://e.example/blog/index.html") == ["https://e.example/blog/atom.xml"]


def test_relative_base_is_resolved_against_the_page() -> None:
    html = '<base href="/news/"><link rel="alternate" type="application/rss+xml" href="rss">'
    assert feed_links(html, "https://e.example/a/b") == ["https://e.example/news/rss"]


@pytest.mark.parametrize("html", ["", "<html><body>Tidak ada feed</body></html>", "\x00\xff<<<", b"\x89PNG\r\n"])
def test_pages_without_feeds(html: str | bytes) -> None:
    assert feed_links(html, "https://e.example/") == []


def test_common_feed_urls_at_the_site_root() -> None:
    urls = common_feed_urls("https://www.contohnews.id/kanal/ekonomi?page=2#top")
    assert urls[0] == "https://www.contohnews.id/feed"
    assert "https://www.contohnews.id/?feed=rss2" in urls
    assert "https://www.contohnews.id/feeds/posts/default" in urls
    assert len(urls) == len(COMMON_FEED_PATHS)
    assert all(url.startswith("https://www.contohnews.id/") for url in urls)


def test_common_sitemap_urls_keep_the_port() -> None:
    assert common_sitemap_urls("http://localhost:8080/x/y") == [
        f"http://localhost:8080{path}" for path in COMMON_SITEMAP_PATHS
    ]
    assert "https://e.example/news-sitemap.xml" in common_sitemap_urls("https://e.example")


@pytest.mark.parametrize("url", ["ftp://e.example/", "not a url", "", "mailto:redaksi@e.example"])
def test_no_guesses_for_non_web_urls(url: str) -> None:
    assert common_feed_urls(url) == []
    assert common_sitemap_urls(url) == []


def test_sitemaps_from_robots() -> None:
    robots = """# robots.txt untuk www.contohnews.id
User-agent: *
Disallow: /search
Allow: /

Sitemap: https://www.contohnews.id/sitemap_index.xml
sitemap: /sitemap-news.xml
Sitemap: https://www.contohnews.id/sitemap_index.xml
Sitemap: ftp://files.contohnews.id/sitemap.xml
"""
    assert sitemaps_from_robots(robots, "https://www.contohnews.id/robots.txt") == [
        "https://www.contohnews.id/sitemap_index.xml",
        "https://www.contohnews.id/sitemap-news.xml",
    ]


@pytest.mark.parametrize("robots", ["", "User-agent: *\nDisallow: /\n", "\x00\xff\ufffd junk\n<html>", "Sitemap:\n"])
def test_robots_without_sitemaps(robots: str) -> None:
    assert sitemaps_from_robots(robots, "https://e.example/robots.txt") == []
