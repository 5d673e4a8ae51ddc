"""Article or listing: the page-level features a learned scorer weighs to tell one page kind from the other.

The rules in `container.body_container` decide from a few thresholds fitted on wcxb-dev's page types: how much
prose the best container holds against the text, links and teaser cards of the page's main column. They
fail both ways on sites they were not fitted on: a short news item or a photo story beside a long related
list reads as a listing and is never stored, a category page with long teasers reads as an article. The
kind scorer (`Models.kind`) sees those same quantities and the page's other evidence of being one story or
many: its own declarations, the shape of its URL, how many datelines and headline links its main column
holds, whether a byline and a publication date were found. Its features are plain numbers computed here
from what the extractor already has; the rules' verdict is one of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from warta.extract import phrases
from warta.extract.runs import Run
from warta.extract.urls import looks_like_article_url
from warta.models import BlockKind

# JSON-LD and og:type values by which a page calls itself a collection of other pages.
COLLECTION_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "website", "blog", "profilepage"})
# A run this short with a link density this high is a headline link (a teaser's or a menu's).
MAX_HEADLINE_LINK_CHARS = 200
MIN_HEADLINE_LINK_DENSITY = 0.8

_DIGITS = re.compile(r"\d{4,}")

FEATURES: tuple[str, ...] = (
    "rules_listing",
    "declared_article",
    "declared_collection",
    "article_url",
    "announced",
    "log_prose",
    "log_listed",
    "prose_share",
    "listed_link_share",
    "teaser_share",
    "teasers_over_prose",
    "log_runs",
    "teaser_run_share",
    "heading_run_share",
    "headline_link_runs",
    "datelines",
    "dropped_share",
    "container_run_share",
    "container_paragraphs",
    "has_byline",
    "has_published",
    "has_json_ld_body",
    "url_depth",
    "url_trailing_slash",
    "url_digits",
    "url_slug_words",
    "url_query",
    "h1_count",
)


@dataclass(frozen=True, slots=True)
class ListingEvidence:
    """What the rules measure of a page's two candidate bodies: the best prose container and the main column.

    `score` is the prose the article container holds (see `PageRuns.best_container`); `listed_chars`,
    `listed_links` and `teasers` the text, the link text and the teaser text of the main column
    (`PageRuns.listing_container`); `rules_listing` the rules' verdict.
    """

    score: float
    listed_chars: float
    listed_links: float
    teasers: float
    rules_listing: bool


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the page says of itself beyond its runs (from `Metadata`, the URL and the crawl)."""

    declared_article: bool
    declared_collection: bool
    announced: bool
    has_byline: bool
    has_published: bool
    has_json_ld_body: bool
    h1_count: int
    url: str | None


def feature_row(
    evidence: ListingEvidence, runs: list[Run], container_runs: list[Run], signals: PageSignals
) -> list[float]:
    """The kind scorer's features for one page, in FEATURES order."""
    total = len(runs) or 1
    kept = [run for run in runs if not run.dropped]
    kept_size = sum(run.size for run in kept) or 1.0
    listed = evidence.listed_chars or 1.0
    teaser_runs = sum(1 for run in kept if run.teaser)
    headings = sum(1 for run in kept if run.kind is BlockKind.HEADING)
    headline_links = sum(
        1 for run in kept if len(run.text) <= MAX_HEADLINE_LINK_CHARS and run.link_density >= MIN_HEADLINE_LINK_DENSITY
    )
    datelines = sum(1 for run in kept if phrases.is_dateline(run.text))
    dropped = sum(run.size for run in runs if run.dropped)
    paragraphs = sum(1 for run in container_runs if run.kind is BlockKind.PARAGRAPH and not run.dropped)
    path, query = _url_parts(signals.url)
    segments = [segment for segment in path.split("/") if segment]
    last = segments[-1] if segments else ""
    return [
        float(evidence.rules_listing),
        float(signals.declared_article),
        float(signals.declared_collection),
        float(looks_like_article_url(signals.url)),
        float(signals.announced),
        math.log1p(evidence.score),
        math.log1p(evidence.listed_chars),
        evidence.score / listed,
        evidence.listed_links / listed,
        evidence.teasers / listed,
        math.log1p(evidence.teasers) - math.log1p(evidence.score),
        math.log1p(len(runs)),
        teaser_runs / total,
        headings / total,
        math.log1p(headline_links),
        math.log1p(datelines),
        dropped / (dropped + kept_size),
        len(container_runs) / total,
        math.log1p(paragraphs),
        float(signals.has_byline),
        float(signals.has_published),
        float(signals.has_json_ld_body),
        float(len(segments)),
        float(path.endswith("/") and len(path) > 1),
        float(bool(_DIGITS.search(path))),
        float(last.count("-") + last.count("_")),
        float(bool(query)),
        float(min(signals.h1_count, 5)),
    ]


def declares_collection(types: Iterable[str]) -> bool:
    """The page's declared types (JSON-LD @type, og:type) call it a collection of other pages."""
    return any(kind.lower() in COLLECTION_TYPES for kind in types)


def _url_parts(url: str | None) -> tuple[str, str]:
    if not url:
        return "", ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", ""
    return parts.path, parts.query
