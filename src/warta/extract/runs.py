"""Runs, the stretches of text a reader sees as one block, and the search for the element that holds the body.

Each run has a weight: prose counts for itself, link lists (menus, related headlines, tag clouds) count
against. Every element scores the weights of the runs inside it, and the element with the highest score is
the body container, the way a maximum-sum window finds the densest stretch of a series. Prefix sums make
every element's score O(1) once the walk (`body.collect_runs`) has recorded each element's span of runs, so
the search is linear in the size of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from warta.extract import selectors as sel
from warta.models import BlockKind

Node = Any  # selectolax.lexbor.LexborNode, which ships no type stubs

# Share of a run's characters inside links from which it counts as navigation rather than prose.
MAX_LINK_DENSITY = 0.5
# How much a character of navigation counts against a container, relative to a character of prose. Above 1
# so that a wrapper around the article and a same-sized menu loses to the article alone.
LINK_PENALTY = 1.5
# Runs shorter than this without sentence punctuation ("Home", "Share", "12 comments") weigh nothing.
MIN_PROSE_CHARS = 40

# Scripts that pack a word into one to three characters, without spaces: a character of Chinese or Japanese
# says about as much as three Latin ones, a Hangul syllable about two. Sizes and thresholds are in Latin
# characters so that one set of numbers serves every script.
_IDEOGRAPHIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
IDEOGRAPH_WEIGHT = 3
HANGUL_WEIGHT = 2


def text_size(text: str) -> float:
    """The length of `text` in Latin-script characters."""
    if text.isascii():
        return len(text)
    extra = (IDEOGRAPH_WEIGHT - 1) * len(_IDEOGRAPHIC.findall(text)) + (HANGUL_WEIGHT - 1) * len(_HANGUL.findall(text))
    return len(text) + extra


_SENTENCE_PUNCT = re.compile(r"[.!?。！？…:;,]")


@dataclass(slots=True)
class Run:
    """A stretch of text a reader sees as one block."""

    text: str
    link_chars: int
    kind: BlockKind
    level: int = 0
    dropped: bool = False
    teaser: bool = False  # part of a repeated card that links elsewhere (see body._mark_teasers)
    size: float = 0.0  # the text's length in Latin-script characters (see text_size)
    # What the run is worth as article text, dropped or not: its prose characters, negative for links.
    # Computed once by the builder (the container search sums it several times per page).
    value: float = 0.0
    # The element around the run's own block: paragraphs of one article body share it, a box between
    # them does not (see blocks._resumes).
    parent: int = 0
    # Where the run sits, for the learned scorer (see runfeatures.py): how many block elements enclose it,
    # the marks of all of them (tags, class words, furniture verdicts) and those of its own block.
    depth: int = 0
    ancestry: int = 0
    own: int = 0
    # The body scorer's verdict: article text or not; None where no model judged the run.
    learned: bool | None = None

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def weight(self) -> float:
        return 0.0 if self.dropped else self.value


def prose_value(text: str, link_chars: int, kind: BlockKind, size: float) -> float:
    """What a run's text is worth as article text: its prose characters, negative for a link list."""
    density = link_chars / len(text)
    if density >= MAX_LINK_DENSITY:
        return -LINK_PENALTY * size
    if kind is BlockKind.HEADING:
        return 0.0
    # A short line without punctuation is a label; a table row of short cells is data.
    if size < MIN_PROSE_CHARS and kind is not BlockKind.TABLE_ROW and not _SENTENCE_PUNCT.search(text):
        return 0.0
    return size * (1.0 - density)


# How much a dropped character counts against a listing container (see PageRuns.listing_container).
LISTING_FURNITURE_PENALTY = 0.5

# A container the page marks as the article body (selectors.CONTENT_HINTS) scores this much more, so that
# it wins over a wrapper that adds a little prose from around the article (a standfirst box, comments).
HINT_BONUS = 1.6


@dataclass(slots=True)
class PageRuns:
    """The runs of a page, and for each element the slice of runs it holds."""

    runs: list[Run]
    spans: dict[int, tuple[int, int]]
    elements: dict[int, Node]
    hints: frozenset[int] = frozenset()
    # The furniture matches as (strong, first run, end run), and the run spans of the content hints.
    marked: tuple[tuple[bool, int, int], ...] = ()
    hint_spans: tuple[tuple[int, int], ...] = ()

    def drop_furniture(self, strong: bool = True) -> None:
        """Mark dropped the runs of furniture matches that really are furniture (see selectors.py).

        With `strong=False` every match is weighed like a landmark (dropped only when link-dense or tiny):
        the second opinion for pages where the class words themselves mislead (see container._article_container).
        """
        runs = self.runs
        chars = [0]
        links = [0]
        for run in runs:
            run.dropped = False
            chars.append(chars[-1] + len(run.text))
            links.append(links[-1] + run.link_chars)
        total = chars[-1] or 1
        # A difference array turns the overlapping dropped spans into one pass over the runs.
        delta = [0] * (len(runs) + 1)
        for is_strong, start, end in self.marked:
            size = chars[end] - chars[start]
            # A match holding most of the page is a wrapper of everything ("has-sidebar" on the page shell).
            if size == 0 or size > sel.MAX_FURNITURE_SHARE * total:
                continue
            # A match that is or holds the marked article body wraps it ("box article modal-enabled"); the
            # furniture inside it has marks of its own.
            if self._wraps_hint(start, end):
                continue
            if is_strong and strong:
                drop = True
            else:
                density = (links[end] - links[start]) / size
                drop = density >= sel.WEAK_MIN_LINK_DENSITY or size <= sel.WEAK_MAX_CHARS
            if drop:
                delta[start] += 1
                delta[end] -= 1
        depth = 0
        for index, run in enumerate(runs):
            depth += delta[index]
            if depth > 0:
                run.dropped = True

    def _wraps_hint(self, start: int, end: int) -> bool:
        return any(start <= h_start and h_end <= end for h_start, h_end in self.hint_spans if h_end > h_start)

    def dropped_prose(self) -> float:
        """The prose the dropped runs would have been worth."""
        return sum(max(run.value, 0.0) for run in self.runs if run.dropped)

    def best_container(self) -> tuple[Node | None, float]:
        """Return the element whose runs weigh most (the deepest one on a tie), and its score."""
        return self._heaviest([run.weight for run in self.runs], self.hints)

    def hinted_prose(self) -> tuple[Node | None, float]:
        """The marked body (selectors.CONTENT_HINTS) holding the most prose, and that prose.

        Links do not count against it here: the caller weighs the page's own mark against the scores.
        """
        best_id, best = None, 0.0
        for node_id in self.hints:
            span = self.spans.get(node_id)
            if span is None:
                continue
            prose = sum(max(run.weight, 0.0) for run in self.runs[span[0] : span[1]] if not run.teaser)
            if prose > best:
                best_id, best = node_id, prose
        return (self.elements[best_id] if best_id is not None else None), best

    def listing_container(self) -> Node | None:
        """Return the element that holds most of the page's visible text, links included, and little furniture.

        On a listing or home page the content is the list of teasers: headlines are links, so the article
        weights would count them against. Here every kept character counts for the container and every
        dropped one (menus, header, footer) half against, so the pick is the main column without its chrome.
        """
        weights = [-LISTING_FURNITURE_PENALTY * run.size if run.dropped else run.size for run in self.runs]
        return self._heaviest(weights, frozenset())[0]

    def _heaviest(self, weights: list[float], favoured: frozenset[int]) -> tuple[Node | None, float]:
        """The element whose runs' `weights` sum highest, `favoured` ones scoring HINT_BONUS times more."""
        prefix = [0.0]
        for weight in weights:
            prefix.append(prefix[-1] + weight)
        best_id, best_score = None, 0.0
        # Elements were recorded parent first, so `>=` lets a descendant with the same score win.
        for node_id, (start, end) in self.spans.items():
            score = prefix[end] - prefix[start]
            if node_id in favoured:
                score *= HINT_BONUS
            if score >= best_score and score > 0:
                best_id, best_score = node_id, score
        return (self.elements[best_id] if best_id is not None else None), best_score

    def closest_to(self, reference: str) -> tuple[Node | None, float, dict[int, float]]:
        """Return the element whose kept text agrees best with `reference` (word F1), that F1, and every F1.

        The reference is a declared body (JSON-LD `articleBody`): often complete, sometimes truncated or
        stale, so the caller weighs the agreement rather than trusting the declaration.
        """
        vocabulary = _words(reference)
        reference_total = len(vocabulary)
        known = set(vocabulary)
        hits = [0]
        totals = [0]
        for run in self.runs:
            words = _words(run.text) if is_kept(run) else []
            hits.append(hits[-1] + sum(1 for word in words if word in known))
            totals.append(totals[-1] + len(words))
        scores: dict[int, float] = {}
        best_id, best_f1 = None, 0.0
        for node_id, (start, end) in self.spans.items():
            hit = hits[end] - hits[start]
            if not hit:
                continue
            precision = hit / (totals[end] - totals[start])
            recall = min(1.0, hit / reference_total)
            f1 = scores[node_id] = 2 * precision * recall / (precision + recall)
            if f1 >= best_f1:
                best_id, best_f1 = node_id, f1
        return (self.elements[best_id] if best_id is not None else None), best_f1, scores

    def apply_scores(self, probabilities: list[float], threshold: float) -> Node | None:
        """Record the body scorer's verdict on each run; return the smallest element holding every run it keeps.

        The verdicts are taken page-wide rather than inside one best container: measured out-of-fold on the
        shared sets, a container pick (a maximum-sum window over the probabilities) lost what it cut off
        (forum replies, product specifications, a standfirst outside the body element) more often than it
        saved from stray runs. None, with every verdict forgotten, when the model keeps nothing.
        """
        first = last = -1
        for index, (run, probability) in enumerate(zip(self.runs, probabilities, strict=True)):
            run.learned = probability >= threshold
            if run.learned:
                last = index
                if first < 0:
                    first = index
        if first < 0:
            self.forget_scores()
            return None
        best_id, best_size = None, len(self.runs) + 1
        for node_id, (start, end) in self.spans.items():
            if start <= first and last < end and end - start <= best_size:
                best_id, best_size = node_id, end - start
        return self.elements[best_id] if best_id is not None else None

    def forget_scores(self) -> None:
        """Let the rules alone judge the runs again (a listing keeps what the body model refuses)."""
        for run in self.runs:
            run.learned = None

    def runs_in(self, node: Node) -> list[Run]:
        start, end = self.spans[node.mem_id]
        return self.runs[start:end]


def is_kept(run: Run) -> bool:
    """Whether the run is article text: the body scorer's verdict where it judged the run, else the rules'."""
    if run.learned is not None:
        return run.learned
    return not run.dropped and not run.teaser and run.link_density < MAX_LINK_DENSITY


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
