"""Training samples for the body scorer: every run of every labelled page, labelled from the ground truth.

The runs come from `warta.extract.html.read_page` and the features from `html.rule_features`, the very
functions extraction calls, so the model learns on what it will judge. Pages the rules call listings are
left out: the body model is not consulted on them.

Labels, per set:
- wcxb-dev, fundus, id-news (a body text): a run is article text when its words stand in the body in that
  order (a word trigram test, so that a related headline made of the article's own words does not pass),
  furniture when next to none of its trigrams do; runs in between, and runs of one or two words that the
  body merely contains, get no label.
- trafilatura-eval (snippets only): a run holding a must-have snippet is article text, one holding a
  must-not-have snippet is not; every other run is unlabelled.

Weights: a run counts by the log of its words (the metric counts words, but one long paragraph should
not outweigh ten), and a page by the square root of its labelled runs, so long pages do not drown short ones.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.datasets import Page, load, read_html
from benchmarks.training.common import Samples
from warta.errors import WartaError
from warta.extract.container import body_container
from warta.extract.decode import decode
from warta.extract.html import looks_like_html, read_page, rule_features
from warta.extract.runfeatures import FEATURES
from warta.extract.runs import PageRuns

SETS = ("wcxb-dev", "fundus", "id-news", "trafilatura-eval")
# A run is article text when this share of its word trigrams is in the body, furniture at or below the
# lower share; between the two it is left unlabelled.
POSITIVE_SHARE = 0.7
NEGATIVE_SHARE = 0.3
# Runs this short (in words) that the body contains are not labelled: "Share" or "Photos" are in many
# bodies by chance. A short run the body does not contain is furniture.
MIN_POSITIVE_WORDS = 3

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _trigrams(tokens: list[str]) -> set[tuple[str, str, str]]:
    return {(tokens[i], tokens[i + 1], tokens[i + 2]) for i in range(len(tokens) - 2)}


@dataclass(slots=True)
class BodyTruth:
    """A ground-truth body prepared for run labels."""

    joined: str
    trigrams: set[tuple[str, str, str]]

    @classmethod
    def of(cls, text: str) -> BodyTruth:
        tokens = words(text)
        return cls(f" {' '.join(tokens)} ", _trigrams(tokens))

    def label(self, run_text: str) -> int | None:
        tokens = words(run_text)
        if not tokens:
            return None
        contained = f" {' '.join(tokens)} " in self.joined
        if len(tokens) < MIN_POSITIVE_WORDS:
            return None if contained else 0
        if contained:
            return 1
        grams = _trigrams(tokens)
        share = len(grams & self.trigrams) / len(grams) if grams else 0.0
        if share >= POSITIVE_SHARE:
            return 1
        if share <= NEGATIVE_SHARE:
            return 0
        return None


def _squash(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(slots=True)
class SnippetTruth:
    """Must-have and must-not-have snippets (trafilatura-eval)."""

    with_: tuple[str, ...]
    without: tuple[str, ...]

    def label(self, run_text: str) -> int | None:
        text = _squash(run_text)
        if any(_squash(snippet) in text for snippet in self.with_):
            return 1
        if any(_squash(snippet) in text for snippet in self.without):
            return 0
        return None


def page_runs(page: Page) -> tuple[PageRuns, object] | None:
    """The runs and feature rows of one page as extraction sees them; None for pages the body model skips."""
    data = read_html(page.path)
    try:
        text, _codec = decode(data)
    except WartaError:
        return None
    if not looks_like_html(text):
        return None
    reading = read_page(text, page.url)
    runs = reading.runs
    if runs is None or not runs.runs:
        return None
    if body_container(runs, reading.declared_article)[1] is not None:
        return None  # a listing: the body model is not asked
    return runs, rule_features(runs, reading.declared_article)


def truth_of(page: Page) -> BodyTruth | SnippetTruth | None:
    if page.truth.text is not None:
        if not page.truth.text.strip():
            return None  # pages without main content teach nothing about which runs are the article
        return BodyTruth.of(page.truth.text)
    if page.truth.with_ or page.truth.without:
        return SnippetTruth(page.truth.with_, page.truth.without)
    return None


def pages(data_dir: Path) -> Iterator[Page]:
    for name in SETS:
        for page in load(name, data_dir):
            if page.truth.kind == "listing":
                continue
            yield page


def samples(data_dir: Path) -> Samples:
    """Every labelled run of every training page of ../shared/data, with its page's site."""
    out = Samples(FEATURES)
    for page in pages(data_dir):
        truth = truth_of(page)
        if truth is None:
            continue
        read = page_runs(page)
        if read is None:
            continue
        runs, matrix = read
        labels = [truth.label(run.text) for run in runs.runs]
        labelled = [i for i, label in enumerate(labels) if label is not None]
        if not labelled:
            continue
        page_weight = 1.0 / math.sqrt(len(labelled))
        site = page.site
        key = f"{page.dataset}/{page.page_id}"
        rows = matrix.tolist()  # type: ignore[attr-defined]
        for i in labelled:
            run_words = runs.runs[i].text.count(" ") + 1
            label = labels[i]
            assert label is not None
            out.add(rows[i], label, page_weight * math.log1p(run_words), site, key)
    return out
