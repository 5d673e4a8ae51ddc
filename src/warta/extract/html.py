"""The HTML path: decode, parse once with lexbor, read metadata, prune furniture, find the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from warta.errors import NotHTMLError
from warta.extract import authors, titles
from warta.extract import selectors as sel
from warta.extract.body import PageRuns, blocks_from_runs, collect_runs, listing_blocks
from warta.extract.credits import sources_in, split_credit
from warta.extract.decode import charset_from_content_type, decode
from warta.extract.feed import extract_feed, looks_like_feed
from warta.extract.headline import choose_headline
from warta.extract.hydration import embedded_html
from warta.extract.language import resolve_language
from warta.extract.learned import Models, Scorer
from warta.extract.metadata import Metadata, read_metadata, read_signature, settle
from warta.extract.pagekind import ListingEvidence, PageSignals, declares_collection, feature_row
from warta.extract.runfeatures import feature_matrix
from warta.extract.urls import looks_like_article_url, web_url
from warta.models import Article, Block, DateHints, Image, PageKind

Node = Any  # selectolax.lexbor.LexborNode

# A page whose best container holds less prose than this is a script-rendered shell, and its scripts' data
# is searched for the article (see hydration.py).
MIN_PAGE_PROSE = 300
# ... and the article found there must hold this much prose to replace the page's own text.
MIN_EMBEDDED_PROSE = 1000

# A script template inside the marked article body is parsed as the body when it is this long (see
# _inline_body_templates); the mark is looked for this many ancestors up.
MIN_TEMPLATE_CHARS = 500
TEMPLATE_HINT_DEPTH = 3

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

# When furniture class words drop this many times more prose than the best container holds, and that
# container holds less than a short article, the words are doubted (see _article_container). The cap keeps
# an article with a long comment thread from being traded for the thread.
SECOND_OPINION_RATIO = 3.0
SECOND_OPINION_MAX_PROSE = 1000

# A declared article body (JSON-LD articleBody) of at least this many characters guides the container
# choice when some element's text matches it with this word F1, and this much better than the structural pick.
MIN_GUIDE_CHARS = 300
MIN_GUIDE_AGREEMENT = 0.8
MIN_GUIDE_GAIN = 0.02
# A declaration shorter than this share of the structural pick's text is taken for truncated: sites cut
# articleBody to a fixed length or to the first paragraph.
MIN_GUIDE_SHARE = 0.5

# A page whose best prose container scores this much is an article, whatever else it holds. Below it, the
# page is a listing when that prose is under this share of the text of its main column, or when the main
# column holds more link text than the container holds prose. Fitted on wcxb-dev's page types.
MAX_LISTING_PROSE = 2000
LISTING_PROSE_SHARE = 0.4
# A page that declares itself an article (JSON-LD, og:type), or has an article's URL, is one unless it holds
# next to no prose: many themes stamp og:type=article on every page, but a short news item beside long link
# lists is common too.
MIN_DECLARED_ARTICLE_PROSE = 300
# ... unless its main column holds this many times more teaser text outside links (see body._mark_teasers)
# than the article container holds prose.
TEASER_DOMINANCE = 2.0
# Listings whose entries are articles by their publisher's word: a feed item, a Google News sitemap entry
# (a plain sitemap lists category and tag pages too). A page a crawl reached through one is read as an
# article however many teasers surround it (a photo gallery with two lines of text beside a long related
# list is still the article the feed announced), as long as some element holds this much prose.
ANNOUNCING_LISTINGS = frozenset({"rss", "atom", "json-feed", "news-sitemap"})
MIN_ANNOUNCED_PROSE = 40


def looks_like_html(text: str) -> bool:
    """Tell an HTML document or fragment from plain text that happens to contain a tag or two."""
    head = text[:SNIFF_CHARS]
    if _DOCUMENT_MARKUP.search(head):
        return True
    return len(_BLOCK_MARKUP.findall(head)) >= MIN_FRAGMENT_TAGS


def parse(html: str) -> LexborHTMLParser:
    """Parse HTML with lexbor, the fastest HTML5-conformant parser Python can call."""
    return LexborHTMLParser(html)


@dataclass(slots=True)
class Pruned:
    """What pruning read off the elements: furniture matches (True: strong), content hints, class attributes
    (for telling repeated cards apart) and class-word marks (for the learned scorer)."""

    furniture: dict[int, bool] = field(default_factory=dict)
    hints: frozenset[int] = frozenset()
    classes: dict[int, str] = field(default_factory=dict)
    words: dict[int, int] = field(default_factory=dict)


def prune(tree: LexborHTMLParser, keep_noscript: bool = False) -> Pruned:
    """Remove what is never article text; return what the walk needs to know of the remaining elements.

    Furniture is not removed here because a class word alone cannot tell a share bar from a theme's
    content wrapper: the walk measures each match's text and links, and `body` decides.
    """
    if keep_noscript:
        tree.unwrap_tags(["noscript"])
    _inline_body_templates(tree)
    tree.strip_tags(list(sel.NEVER_CONTENT_TAGS), recursive=True)
    root = tree.body or tree.root
    if root is None:
        return Pruned()
    marks = {node.mem_id: False for node in root.css(sel.WEAK_FURNITURE)}
    marks.update((node.mem_id, True) for node in root.css(sel.STRONG_FURNITURE))
    scopes: dict[int, bool] = {}
    marks.update((node.mem_id, True) for node in root.css(sel.PAGE_LANDMARKS) if not _in_article(node, scopes))
    hints = {node.mem_id for node in root.css(sel.CONTENT_HINTS)}
    classes: dict[int, str] = {}
    words: dict[int, int] = {}
    for node in root.css(sel.CLASSED):
        # Two lookups of single attributes: 40% cheaper than `attributes`, which builds a dict of them all.
        class_attr = node.attrs.get("class")
        id_attr = node.id
        if class_attr:
            classes[node.mem_id] = class_attr
        verdict = sel.classify(class_attr, id_attr)
        if verdict.strong:
            marks[node.mem_id] = True
        elif verdict.weak:
            marks.setdefault(node.mem_id, False)
        if verdict.hint:
            hints.add(node.mem_id)
        group_marks = sel.class_marks(class_attr, id_attr)
        if group_marks:
            words[node.mem_id] = group_marks
    return Pruned(marks, frozenset(hints), classes, words)


def _in_article(node: Node, known: dict[int, bool]) -> bool:
    """Whether an ancestor of `node` is the article's own markup: <article>, <main> or the marked body.

    `known` remembers the answer for every element walked through, so nested landmarks cost one walk.
    """
    path: list[int] = []
    ancestor = node.parent
    inside = False
    while ancestor is not None:
        cached = known.get(ancestor.mem_id)
        if cached is not None:
            inside = cached
            break
        path.append(ancestor.mem_id)
        if _is_article_scope(ancestor):
            inside = True
            break
        ancestor = ancestor.parent
    for node_id in path:
        known[node_id] = inside
    return inside


def _is_article_scope(node: Node) -> bool:
    if node.tag in sel.ARTICLE_SCOPES:
        return True
    attrs = node.attributes
    return attrs.get("role") == "main" or (attrs.get("itemprop") or "").lower() == "articlebody"


def _inline_body_templates(tree: LexborHTMLParser) -> None:
    """Parse article bodies that the page ships as an HTML template for its script to render.

    Blogger and some CMS themes put the post inside `<script type="text/template">` within the element
    marked as the article body; a crawler sees an empty article. Only templates that sit in a marked body
    and hold paragraphs are inlined: templates elsewhere are UI snippets.
    """
    for script in tree.css(sel.BODY_TEMPLATES):
        source = script.text(deep=True)
        if len(source) < MIN_TEMPLATE_CHARS or "<p" not in source:
            continue
        if not _in_marked_body(script):
            continue
        fragment = LexborHTMLParser(source).body
        if fragment is not None:
            script.replace_with(fragment)


def _in_marked_body(node: Node) -> bool:
    ancestor = node.parent
    for _ in range(TEMPLATE_HINT_DEPTH):
        if ancestor is None:
            return False
        attrs = ancestor.attributes
        if (attrs.get("itemprop") or "").lower() == "articlebody":
            return True
        if sel.classify(attrs.get("class"), attrs.get("id")).hint:
            return True
        ancestor = ancestor.parent
    return False


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
        text = data
    if looks_like_feed(text):
        return extract_feed(text, url), None
    if not looks_like_html(text):
        raise NotHTMLError("the input is text without HTML markup")
    page = read_page(text, url, now, hints)
    meta, runs = page.meta, page.runs
    body_source = page.body_source
    host = urlsplit(url).hostname if url else None
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
            container = _learned_container(runs, container, scorer)
            body_source += f", scored by body model v{scorer.version}"
        if meta.article_body and len(meta.article_body) >= MIN_GUIDE_CHARS:
            container, listing, guided = _guided_container(runs, container, listing, meta.article_body)
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
    container, listing = _body_container(runs, declared_article)
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


def _learned_container(runs: PageRuns, container: Node | None, scorer: Scorer) -> Node | None:
    """Let the body scorer judge every run; return the element holding the runs it keeps.

    The rules' pick is one of the model's features. Inside the returned element only the runs the model
    keeps are read (see body._kept); when it keeps none, the rules' pick stands.
    """
    span = runs.spans.get(container.mem_id) if container is not None else None
    probabilities = scorer.predict(feature_matrix(runs, span))
    learned = runs.apply_scores(probabilities, scorer.threshold)
    return learned if learned is not None else container


def _guided_container(
    runs: PageRuns, container: Node | None, listing: Node | None, declared_body: str
) -> tuple[Node | None, Node | None, bool]:
    """Let a declared article body choose the container when the page's text agrees with it.

    The element whose text matches `declared_body` best replaces the structural pick when the match is
    close (a complete, current declaration) and clearly better than the pick's own match. A truncated or
    stale declaration matches nothing closely and changes nothing.
    """
    if container is not None and listing is None:
        structural = sum(len(run.text) for run in runs.runs_in(container) if not run.dropped)
        if len(declared_body) < MIN_GUIDE_SHARE * structural:
            return container, listing, False  # truncated: a teaser of the body, not the body
    guided, agreement, scores = runs.closest_to(declared_body)
    current = scores.get(container.mem_id, 0.0) if container is not None and listing is None else 0.0
    if guided is None or agreement < MIN_GUIDE_AGREEMENT or agreement < current + MIN_GUIDE_GAIN:
        return container, listing, False
    return guided, None, True


def _body_container(runs: PageRuns, declared_article: bool, announced: bool = False) -> tuple[Node | None, Node | None]:
    """Return the article container, or None and the listing container when the page is a listing.

    `declared_article` is the page's own word (JSON-LD, og:type) or its URL's shape; `announced` that a
    feed or news sitemap listed it as an article.
    """
    container, listing, evidence = listing_evidence(runs, declared_article, announced)
    return (None, listing) if evidence.rules_listing else (container, None)


def listing_evidence(
    runs: PageRuns, declared_article: bool, announced: bool = False
) -> tuple[Node | None, Node | None, ListingEvidence]:
    """The article container, the main column and what the rules measure of both, with their verdict."""
    container, score = _article_container(runs)
    listing = runs.listing_container()
    if listing is None:
        return container, None, ListingEvidence(score, 0.0, 0.0, 0.0, False)
    listed = [run for run in runs.runs_in(listing) if not run.dropped]
    listed_chars = sum(run.size for run in listed)
    listed_links = sum(run.link_chars * run.size / len(run.text) for run in listed)
    # The teasers' own text (summaries, bylines), not their headline links: a bare list of related links
    # beside a short article does not make it a listing.
    teasers = sum(run.size * (1 - run.link_density) for run in listed if run.teaser)
    mostly_teasers = teasers > TEASER_DOMINANCE * score
    long_enough = score >= MAX_LISTING_PROSE or (announced and score >= MIN_ANNOUNCED_PROSE)
    declared = declared_article and score >= MIN_DECLARED_ARTICLE_PROSE and not mostly_teasers
    # A listing: the main column is mostly teaser cards, or the best stretch of prose is short and small
    # beside the main column, or the main column holds more link text (headlines) than it holds prose.
    verdict = (
        not long_enough
        and not declared
        and (mostly_teasers or score < LISTING_PROSE_SHARE * listed_chars or listed_links > score)
    )
    return container, listing, ListingEvidence(score, listed_chars, listed_links, teasers, verdict)


def _article_container(runs: PageRuns) -> tuple[Node | None, float]:
    container, score = runs.best_container()
    # A marked body (itemprop=articleBody, "entry-content") with more prose than the best-scoring
    # element is the article even when link lists inside it (show notes, sources) pull its score
    # down. Not when the pick is itself marked (a "news-content" inside "news-detail") or wraps it.
    hinted, prose = runs.hinted_prose()
    if hinted is not None and prose >= score and not _marked_or_wraps(runs, container, hinted):
        return hinted, prose
    dropped = runs.dropped_prose()
    if score < SECOND_OPINION_MAX_PROSE and dropped > SECOND_OPINION_RATIO * score:
        # Class words mislead on some pages: Drupal marks articles "node--promoted", WordPress adds
        # "tag-social" to posts, and on forums the "comments" are the content. When the words dropped far
        # more prose than they left, ask again with every match weighed by its links and size alone.
        runs.drop_furniture(strong=False)
        second, second_score = runs.best_container()
        if second_score > score:
            return second, second_score
        runs.drop_furniture(strong=True)
    return container, score


def _marked_or_wraps(runs: PageRuns, container: Node | None, hinted: Node) -> bool:
    if container is None:
        return False
    if container.mem_id in runs.hints:
        return True
    node = hinted
    while node is not None:
        if node.mem_id == container.mem_id:
            return True
        node = node.parent
    return False


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
