"""Training samples for the page-kind scorer: one row per page that has a main column, labelled listing or not.

A page is a listing when its set says so: wcxb-dev's `listing` and `collection` page types (category pages,
archives, search results, galleries of products), id-news's listings. Every other page is one document read
as such (articles, documentation, forums, products, services), as are all fundus and trafilatura-eval pages:
their truth is one main text. Each set's pages weigh the same whatever the set's size, but the news sets
(fundus, id-news) NEWS_WEIGHT times more: a news article read as a listing is never stored by a crawl,
the costliest of the two mistakes.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.training.common import NEWS_SETS, Samples, html_pages
from warta.extract import pagekind
from warta.extract.container import listing_evidence
from warta.extract.html import kind_features, read_page

LISTING_TYPES = frozenset({"listing", "collection"})
NEWS_WEIGHT = 3.0


def samples(data_dir: Path) -> Samples:
    out = Samples(pagekind.FEATURES)
    for name, page, text in html_pages(data_dir):
        if name == "wcxb-dev":
            label = int(page.extra.get("page_type") in LISTING_TYPES)
        else:
            label = int(page.truth.kind == "listing")
        reading = read_page(text, page.url)
        if reading.runs is None:
            continue
        container, listing, evidence = listing_evidence(reading.runs, reading.declared_article)
        if listing is None:
            continue  # no main column to read as a listing: the page is never put to the model
        weight = NEWS_WEIGHT if name in NEWS_SETS else 1.0
        row = kind_features(reading, page.url, container, evidence)
        out.add(row, label, weight, page.site, f"{name}/{page.page_id}")
    return out
