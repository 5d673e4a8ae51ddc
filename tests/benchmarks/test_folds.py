"""Site-disjoint folds: a site's pages share one fold, whatever set or URL form they come with."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.datasets import Page, Truth
from benchmarks.folds import FOLDS, SITE_OF_URLLESS_PAGE, fold_of, host_in_name, registered_domain, site_of

pytest.importorskip("publicsuffixlist")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://news.detik.com/berita/d-1/a", "https://health.detik.com/true-story/d-2/b"),
        ("https://www.bbc.co.uk/news/x", "http://bbc.co.uk/sport/y"),
        ("http://regional.kompas.com/read/1", "https://money.kompas.com/read/2"),
        ("https://WWW.Example.COM:8443/a", "https://example.com./b"),
    ],
)
def test_same_registered_domain_same_site_and_fold(first: str, second: str) -> None:
    assert site_of(first, "a") == site_of(second, "b")
    assert fold_of(site_of(first, "a")) == fold_of(site_of(second, "b"))


def test_different_sites_under_one_public_suffix_stay_apart() -> None:
    assert site_of("https://alice.blogspot.com/p", "a") == "alice.blogspot.com"
    assert site_of("https://bob.blogspot.com/p", "b") == "bob.blogspot.com"
    assert site_of("https://www.bbc.co.uk/", "a") != site_of("https://www.itv.co.uk/", "b")


def test_the_url_wins_over_the_file_name() -> None:
    assert site_of("https://www.zeit.de/x", "spiegel.de.artikel.html") == "zeit.de"


def test_a_url_without_host_falls_back_to_the_file_name() -> None:
    # trafilatura-eval gives its "hard" cases as `hard::<file>`: no host to read.
    assert site_of("hard::zeit.de.zugverkehr.html", "zeit.de.zugverkehr.html") == "zeit.de"


@pytest.mark.parametrize(
    ("name", "site"),
    [
        ("kulinariaathome.com.mandelplätzchen.html", "kulinariaathome.com"),
        ("bmjv.de.konsum.html", "bmjv.de"),
        # "luebeck" is no public suffix: the host ends before it.
        ("die-partei.net.luebeck.html", "die-partei.net"),
        # "news" is a top-level domain, but "com.news" is not a site.
        ("example.com.news.html", "example.com"),
        ("www.blog.example.co.uk.page.html", "example.co.uk"),
    ],
)
def test_host_in_file_name(name: str, site: str) -> None:
    assert host_in_name(name) == site
    assert site_of(None, name) == site


@pytest.mark.parametrize("name", ["0551", "okezone_2020x", "foo.html", "health.detik.com-Stroke", ""])
def test_no_host_in_name(name: str) -> None:
    assert host_in_name(name) is None


def test_urlless_page_is_a_site_of_its_own() -> None:
    assert site_of(None, "0551") == "page:0551"
    assert site_of("", "4547") == "page:4547"
    assert site_of(None, "0551") != site_of(None, "4547")


def test_urlless_pages_of_a_known_publisher_join_its_other_pages() -> None:
    mainpage = site_of(None, "kompas_kompas-mainpage")
    article = site_of("http://regional.kompas.com/read/2015/11/04/21040031/x", "kompas_kompas-singlepage")
    assert mainpage == article == "kompas.com"
    assert site_of(None, "antara_antara-mainpage") == site_of("http://otomotif.antaranews.com/b/1", "x")


def test_known_sites_are_registered_domains() -> None:
    for site in SITE_OF_URLLESS_PAGE.values():
        assert registered_domain(site) == site


def test_an_address_is_its_own_site() -> None:
    assert site_of("http://127.0.0.1:8000/a", "a") == "127.0.0.1"
    assert site_of("http://[::1]/a", "a") == "::1"


def test_folds_are_stable_and_in_range() -> None:
    # Pinned: a change of hash would silently move sites between folds and invalidate built fold models.
    assert [fold_of(s) for s in ("detik.com", "kompas.com", "bbc.co.uk", "page:0551")] == [4, 4, 1, 2]
    assert {fold_of(f"site{i}.com") for i in range(200)} == set(range(FOLDS))
    assert all(0 <= fold_of(f"site{i}.com", 3) < 3 for i in range(50))


def test_page_site_and_fold() -> None:
    page = Page("id-news", "kompas_kompas-mainpage", Path("x.html.gz"), None, ("listing",), Truth())
    assert page.site == "kompas.com"
    assert page.fold == fold_of("kompas.com")
