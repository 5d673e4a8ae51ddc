"""The HTML path: decode, parse once with lexbor, read metadata, prune furniture, find the body, assemble."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from warta.errors import NotHTMLError
from warta.extract import authors, titles
from warta.extract import selectors as sel
from warta.extract.blocks import blocks_from_runs, listing_blocks
from warta.extract.body import collect_runs
from warta.extract.container import (
    MIN_GUIDE_CHARS,
    body_container,
    guided_container,
    learned_container,
    listing_evidence,
)
from warta.extract.credits import sources_in, split_credit
from warta.extract.decode import charset_from_content_type, decode
from warta.extract.feed import extract_feed, looks_like_feed
from warta.extract.headline import choose_headline
from warta.extract.hydration import embedded_html
from warta.extract.language import resolve_language
from warta.extract.learned import Models, Scorer
from warta.extract.limits import bound_markup, check_size
from warta.extract.metadata import Metadata, read_metadata, read_signature, settle
from warta.extract.pagekind import ListingEvidence, PageSignals, declares_collection, feature_row
from warta.extract.prune import prune
from warta.extract.runfeatures import feature_matrix
from warta.extract.runs import PageRuns
from warta.extract.urls import looks_like_article_url, split_url, web_url
from warta.models import Article, Block, DateHints, Image, PageKind

Node = Any  # selectolax.lexbor.LexborNode

# A page whose best container holds less prose than this is a script-rendered shell, and its scripts' data
# is searched for the article (see hydration.py).
MIN_PAGE_PROSE = 300
# ... and the article found there must hold this much prose to replace the page's own text.
MIN_EMBEDDED_PROSE = 1000

# Markup that only an HTML document carries. Flattened page text may hold a stray `<a href>` or two; a page
# has a document skeleton or many block tags.
_DOCUMENT_MARKUP = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s", re.IGNORECASE)
_BLOCK_MARKUP = re.compile(r"<(?:p|div|br|table|ul|li|h[1-6]|article|section|span)[\s/>]", re.IGNORECASE)
# How many block tags a headless fragment needs before it is treated as HTML.
MIN_FRAGMENT_TAGS = 3
# Bytes of the start of a document that are enough to tell HTML from text.
SNIFF_CHARS = 65536

# Below this many characters of text a page is taken for a script-rendered shell (see extract_html).
MIN_SCRIPTED_PAGE_CHARS = 500

# Listings whose entries are articles by their publisher's word: a feed item, a Google News sitemap entry
# (a plain sitemap lists category and tag pages too). A page a crawl reached through one is read as an
# article as long as it holds a little prose (see container.MIN_ANNOUNCED_PROSE).
ANNOUNCING_LISTINGS = frozenset({"rss", "atom", "json-feed", "news-sitemap"})


def looks_like_html(text: str) -> bool:
    """Tell an HTML document or fragment from plain text that happens to contain a tag or two."""
    head = text[:SNIFF_CHARS]
    if _DOCUMENT_MARKUP.search(head):
        return True
    return len(_BLOCK_MARKUP.findall(head)) >= MIN_FRAGMENT_TAGS


def parse(html: str) -> LexborHTMLParser:
    """Parse HTML with lexbor, the fastest HTML5-conformant parser Python can call, its input bounded first
    (see limits.bound_markup: nesting and attributes past the limits would make the parse quadratic)."""
    return LexborHTMLParser(bound_markup(html))


@dataclass(slots=True)
class PageReading:
    """A page read up to the body decision: its metadata, its runs and where they came from."""

    meta: Metadata
    runs: PageRuns | None
    body_source: str
    declared_article: bool
    # A crawl reached the page through a listing that announces articles (see ANNOUNCING_LISTINGS).
    announced: bool = False


def extract_html(
    data: str | bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    now: datetime | None = None,
    models: Models | None = None,
    hints: DateHints | None = None,
) -> Article:
    """Extract the article from an HTML page; see `warta.extract`.

    `models` are the learned scorers to consult (default: the shipped ones); a benchmark passes the models
    of a cross-validation fold to measure pages of sites they were not trained on. `hints` is what a crawl
    knows of the page's date beyond the page (the listing's date, the publisher's zone).
    """
    return extract_reading(data, url, content_type, now=now, models=models, hints=hints)[0]


def extract_reading(
    data: str | bytes,
    url: str | None = None,
    content_type: str | None = None,
    *,
    now: datetime | None = None,
    models: Models | None = None,
    hints: DateHints | None = None,
) -> tuple[Article, Metadata | None]:
    """`extract_html`, with the metadata the article was assembled from (None for a feed).

    The author scorer's training (benchmarks/training/authors.py) reads its candidates from here, so that
    it learns on the candidates extraction offers it, the body's signature included.
    """
    if isinstance(data, bytes):
        text, _codec = decode(data, charset_from_content_type(content_type))
    else:
        check_size(data)
        text = data
    if looks_like_feed(text):
        return extract_feed(text, url), None
    if not looks_like_html(text):
        raise NotHTMLError("the input is text without HTML markup")
    page = read_page(text, url, now, hints)
    meta, runs = page.meta, page.runs
    body_source = page.body_source
    host = split_url(url).hostname if url else None
    models = models if models is not None else Models.shipped()
    title, title_source = _title(meta, host, models.title)
    blocks: list[Block] = []
    images: list[Image] = []
    kind = PageKind.ARTICLE
    if runs is not None:
        container, listing, evidence = listing_evidence(runs, page.declared_article, page.announced)
        if not evidence.rules_listing:
            listing = None
        elif models.kind is not None and _kind_vetoes(page, url, container, evidence, models.kind):
            listing = None
            body_source += f", an article by kind model v{models.kind.version}"
        else:
            container = None
        scorer = models.body
        if listing is None and scorer is not None:
            container = learned_container(runs, container, scorer)
            body_source += f", scored by body model v{scorer.version}"
        if meta.article_body and len(meta.article_body) >= MIN_GUIDE_CHARS:
            container, listing, guided = guided_container(runs, container, listing, meta.article_body)
            if guided:
                body_source += ", guided by json-ld:articleBody"
        if listing is not None:
            kind = PageKind.LISTING
            blocks = listing_blocks(runs.runs_in(listing))
        elif container is not None:
            blocks = blocks_from_runs(runs.runs_in(container), title)
            images = _figures(container, url)
            read_signature(meta, container, url)
    if models.authors is not None:
        _authors(meta, url, models.authors)
    return _assemble(meta, url, title, title_source, blocks, images, kind, body_source), meta


def _authors(meta: Metadata, url: str | None, scorer: Scorer) -> None:
    """Let the author scorer choose among every set of names the page offers; the rules' pick is a feature,
    and stands when no candidate is probable enough."""
    found = authors.candidates(meta)
    chosen = authors.choose_authors(found, authors.feature_rows(found, meta, url), scorer)
    if chosen is not None:
        meta.authors = list(chosen.people)
        meta.provenance["authors"] = f"{chosen.source}, chosen by author model v{scorer.version}"


def _title(meta: Metadata, host: str | None, scorer: Scorer | None) -> tuple[str | None, str]:
    """The headline: the title scorer's pick among the page's candidates, else the rules' choice."""
    rules = choose_headline(meta.title_candidates, meta.h1, meta.site_name, host)
    if scorer is not None:
        found = titles.candidates(meta.title_candidates, meta.headings, meta.site_name, host)
        rows = titles.feature_rows(found, meta.site_name, host, meta.is_article, rules[0])
        chosen = titles.choose_title(found, rows, scorer)
        if chosen is not None:
            return chosen.text, f"{chosen.source}, chosen by title model v{scorer.version}"
    return rules


def read_page(text: str, url: str | None, now: datetime | None = None, hints: DateHints | None = None) -> PageReading:
    """Parse a decoded HTML page, read its metadata and cut its visible text into runs.

    The step before any decision about the body, shared by extraction and by the training of the body
    scorer (benchmarks/training/body.py), so that the model is trained on the runs it will judge.
    """
    tree = parse(text)
    meta = read_metadata(tree, url, now, hints)
    runs = _page_runs(tree, keep_noscript=False)
    settle(meta, tree.body, url, now)  # the tree is pruned now: its text is what readers see
    if runs is not None and sum(len(r.text) for r in runs.runs) < MIN_SCRIPTED_PAGE_CHARS:
        # Script-rendered sites (Discourse forums, some news apps) serve their text to crawlers inside
        # <noscript>; only when the page is otherwise empty is it worth a second parse.
        fallback = parse(text)
        if sum(len(n.text(deep=True)) for n in fallback.css("noscript")) >= MIN_SCRIPTED_PAGE_CHARS:
            runs = _page_runs(fallback, keep_noscript=True)
    body_source = "dom"
    announced = hints is not None and hints.listed_by in ANNOUNCING_LISTINGS
    declared_article = meta.is_article or looks_like_article_url(url) or announced
    if runs is not None and declared_article and runs.best_container()[1] < MIN_PAGE_PROSE:
        # An article page with no article text of its own: the article may be in the scripts' data.
        embedded = embedded_html(text)
        if embedded is not None:
            embedded_runs = _page_runs(parse(embedded), keep_noscript=False)
            if embedded_runs is not None and embedded_runs.best_container()[1] >= MIN_EMBEDDED_PROSE:
                runs, body_source = embedded_runs, "script:embedded-html"
    return PageReading(meta, runs, body_source, declared_article, announced)


def rule_features(runs: PageRuns, declared_article: bool) -> Any:
    """The body scorer's feature rows for `runs`, the rules' own container pick among them."""
    container, listing = body_container(runs, declared_article)
    span = runs.spans.get(container.mem_id) if container is not None and listing is None else None
    return feature_matrix(runs, span)


def kind_features(page: PageReading, url: str | None, container: Node | None, evidence: ListingEvidence) -> list[float]:
    """The kind scorer's features of a page whose article container and main column the rules measured."""
    meta = page.meta
    signals = PageSignals(
        declared_article=page.declared_article,
        declared_collection=declares_collection(meta.declared_types),
        announced=page.announced,
        has_byline=bool(meta.authors),
        has_published=meta.published is not None,
        has_json_ld_body=bool(meta.article_body),
        h1_count=sum(1 for tag, _text in meta.headings if tag.startswith("h1#")),
        url=url,
    )
    runs = page.runs.runs if page.runs is not None else []
    container_runs = page.runs.runs_in(container) if page.runs is not None and container is not None else []
    return feature_row(evidence, runs, container_runs, signals)


def _kind_vetoes(
    page: PageReading, url: str | None, container: Node | None, evidence: ListingEvidence, scorer: Scorer
) -> bool:
    """The kind scorer overrules the rules' listing verdict: it finds the page too unlike a listing.

    Only the rules' listings are put to the model, and only its confident "not a listing" counts: a news
    article read as a listing is never stored by a crawl, while a listing read as an article costs a body
    of teasers. Measured out-of-fold (benchmarks/training/kinds.py), the veto keeps most of the articles
    the rules lose on sites they were not fitted on, for next to nothing in body F1.
    """
    return scorer.predict([kind_features(page, url, container, evidence)])[0] < scorer.threshold


def _page_runs(tree: LexborHTMLParser, keep_noscript: bool) -> PageRuns | None:
    pruned = prune(tree, keep_noscript)
    root = tree.body or tree.root
    if root is None:
        return None
    return collect_runs(root, pruned.furniture, pruned.hints, pruned.classes, pruned.words)


def _figures(container: Node, url: str | None) -> list[Image]:
    images = []
    for figure in container.css("figure"):
        img = figure.css_first("img")
        if img is None:
            continue
        attrs = img.attributes
        src = attrs.get("data-src") or attrs.get("src") or attrs.get("data-original")
        caption_node = figure.css_first("figcaption")
        text = " ".join(caption_node.text(deep=True, separator=" ").split()) if caption_node is not None else ""
        credit_node = figure.css_first(sel.CREDIT_MARKS)
        credit = " ".join(credit_node.text(deep=True, separator=" ").split()) if credit_node is not None else ""
        caption: str | None
        credit_text: str | None
        if credit and credit in text:
            # A credit in its own element: the caption is the rest, the credit's label dropped.
            caption = " ".join(text.replace(credit, " ").split()) or None
            credit_text = split_credit(credit)[1] or credit
        else:
            caption, credit_text = split_credit(text)
        images.append(Image(web_url(url, src), caption, credit_text))
    return images


def _assemble(
    meta: Metadata,
    url: str | None,
    title: str | None,
    title_source: str,
    blocks: list[Block],
    figures: list[Image],
    kind: PageKind,
    body_source: str,
) -> Article:
    provenance = dict(meta.provenance)
    provenance["title"] = title_source
    body_text = "\n".join(block.text for block in blocks)
    language, language_source = resolve_language(meta.language, body_text)
    provenance["language"] = language_source + (f" ({meta.provenance['language']})" if meta.language else "")
    provenance["body"] = body_source
    images = list(figures)
    if meta.image and all(image.url != meta.image for image in images):
        images.insert(0, Image(meta.image))
    published = meta.published.value if meta.published else None
    updated = meta.updated.value if meta.updated else None
    for name, parsed in (("published", meta.published), ("updated", meta.updated)):
        if parsed is not None and not parsed.has_offset:
            provenance[name] += " (no offset declared; read as UTC)"
    authors = tuple(meta.authors)
    return Article(
        url=url,
        canonical_url=meta.canonical_url or url,
        title=title,
        authors=authors,
        published=published,
        updated=updated,
        site_name=meta.site_name,
        section=meta.section,
        tags=tuple(meta.tags),
        language=language,
        description=meta.description,
        images=tuple(images),
        body=tuple(blocks),
        sources=tuple(dict.fromkeys([*meta.sources, *sources_in([block.text for block in blocks])])),
        access=meta.access,
        kind=kind,
        provenance=provenance,
    )
