"""Choose the element that holds the article, or decide the page is a listing and take its main column.

The rules weigh the runs' scores (`runs.PageRuns`): the best-scoring element, the element the page marks as
its body, a second opinion when furniture words dropped far more prose than they left, and the share of
the main column that is prose rather than teasers and links. The learned scorers and a declared article
body may then overrule the pick (`learned_container`, `guided_container`).
"""

from __future__ import annotations

from typing import Any

from warta.extract.learned import Scorer
from warta.extract.pagekind import ListingEvidence
from warta.extract.runfeatures import feature_matrix
from warta.extract.runs import PageRuns

Node = Any  # selectolax.lexbor.LexborNode

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
# A page a crawl reached through a listing that announces articles (see html.ANNOUNCING_LISTINGS) is read as
# an article however many teasers surround it (a photo gallery with two lines of text beside a long related
# list is still the article the feed announced), as long as some element holds this much prose.
MIN_ANNOUNCED_PROSE = 40


def learned_container(runs: PageRuns, container: Node | None, scorer: Scorer) -> Node | None:
    """Let the body scorer judge every run; return the element holding the runs it keeps.

    The rules' pick is one of the model's features. Inside the returned element only the runs the model
    keeps are read (see runs.is_kept); when it keeps none, the rules' pick stands.
    """
    span = runs.spans.get(container.mem_id) if container is not None else None
    probabilities = scorer.predict(feature_matrix(runs, span))
    learned = runs.apply_scores(probabilities, scorer.threshold)
    return learned if learned is not None else container


def guided_container(
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


def body_container(runs: PageRuns, declared_article: bool, announced: bool = False) -> tuple[Node | None, Node | None]:
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
