"""Train the line scorer of the flattened-text path on the labelled HTML pages, flattened to whole-page text.

    python -m benchmarks.training.lines --out src/warta/extract/models [--data-dir ../shared/data]

Every labelled page of wcxb-dev (main content), fundus and id-news (body text) and trafilatura-eval
(must-have and must-not-have snippets) is flattened as a crawl dump holds it (`flatten`: every visible line,
menus, alt texts and list bullets included) and cut into lines as the extractor cuts them
(`warta.extract.text.line_rows`, which also gives the feature rows). Each line is labelled against the
ground truth (`label_lines`): article when most of its word trigrams are in the truth, not article when
few are; short lines, which a menu and a paragraph can share ("Home", "Politik"), take their neighbours'
label at a low weight or none. Lines whose label is ambiguous are left out.

The fit is deterministic (benchmarks/training/common.py): the same data gives the same model file.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.datasets import load, read_html
from benchmarks.folds import site_of
from benchmarks.training.common import Samples, fit, write_model

NAME = "lines"
VERSION = 1
# The probability at which a line counts as article text (the text path scales line weights around it).
THRESHOLD = 0.5
# Smaller than the body scorer's trees: the file ships in the package (a few hundred KB at most), and more
# capacity did not help out-of-fold (see benchmarks/flat.py).
PARAMS: dict[str, Any] = {"num_leaves": 15, "max_depth": 5, "min_data_in_leaf": 60}
ROUNDS = 150

# The sets and the ground truth each gives (main content, body text, or snippets only).
SETS = ("wcxb-dev", "fundus", "id-news", "trafilatura-eval")
DATA_NOTE = "wcxb-dev, fundus, id-news, trafilatura-eval pages flattened with resiliparse (all lines)"

# Labels from the truth's word trigrams: a line holding at least POSITIVE_SHARE of its trigrams in the
# truth is article text, one holding at most NEGATIVE_SHARE is not; between them it is left out.
SHINGLE = 3
POSITIVE_SHARE = 0.6
NEGATIVE_SHARE = 0.2
# A line shorter than a trigram that the truth holds takes its labelled neighbours' label (within
# NEIGHBOUR_REACH lines, both sides agreeing) at this weight.
NEIGHBOUR_REACH = 3
SHORT_WEIGHT = 0.5
# Extra copies of an article line (a headline printed twice, a pull quote): the copy among the most
# article lines is the article's, the others are not, at this weight.
COPY_WEIGHT = 0.5
# Snippet labels need the line to hold the snippet, or a line this long to lie inside one.
MIN_INSIDE_SNIPPET = 20
# A page's lines weigh together at most as much as PAGE_LINES lines of a small page do, so the long pages
# (forums, docs) do not drown the short ones; longer lines weigh more, as word F1 counts words.
PAGE_LINES = 60

_WORD = re.compile(r"\w+")


def flatten(raw: bytes) -> str:
    """The whole page as text, as a web-text corpus would hold it."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    html = bytes_to_str(raw, detect_encoding(raw))
    return str(
        extract_plain_text(
            html, main_content=False, alt_texts=True, preserve_formatting=True, list_bullets=True, links=False
        )
    )


def words(text: str) -> list[str]:
    """Lower-cased `\\w+` words, as benchmarks/metrics.py counts them."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _grams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True, slots=True)
class FlatPage:
    """A labelled page flattened to text."""

    dataset: str
    page_id: str
    url: str | None
    site: str
    text: str
    truth: str | None  # the article's text; None where only snippets are known
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    listing: bool = False

    @property
    def key(self) -> str:
        return f"{self.dataset}/{self.page_id}"


def flat_pages(data_dir: Path, sets: tuple[str, ...] = SETS) -> Iterator[FlatPage]:
    """The labelled pages of the sets, flattened, in a fixed order."""
    for name in sets:
        for page in load(name, data_dir):
            truth = page.truth.text
            if truth is not None and not truth.strip():
                truth = None
            if truth is None and not page.truth.with_:
                continue
            text = flatten(read_html(page.path))
            yield FlatPage(
                name,
                page.page_id,
                page.url,
                site_of(page.url, page.page_id),
                text,
                truth,
                page.truth.with_,
                page.truth.without,
                listing="listing" in page.subsets or page.extra.get("page_type") not in (None, "article"),
            )


def label_lines(texts: list[str], page: FlatPage) -> list[tuple[int, float] | None]:
    """Per line: (label, weight), or None where the truth does not say."""
    if page.truth is not None:
        return _label_by_truth(texts, page.truth)
    return _label_by_snippets(texts, page.with_, page.without)


def _label_by_truth(texts: list[str], truth: str) -> list[tuple[int, float] | None]:
    gold = words(truth)
    trigrams = set(_grams(gold, SHINGLE))
    shorter = {gram for n in range(1, SHINGLE) for gram in _grams(gold, n)}
    tokens = [words(text) for text in texts]
    labels: list[tuple[int, float] | None] = []
    maybe: list[int] = []
    for index, line in enumerate(tokens):
        if not line:
            labels.append(None)
        elif len(line) < SHINGLE:
            if tuple(line) in shorter:
                labels.append(None)
                maybe.append(index)
            else:
                labels.append((0, 1.0))
        else:
            grams = _grams(line, SHINGLE)
            share = sum(1 for gram in grams if gram in trigrams) / len(grams)
            if share >= POSITIVE_SHARE:
                labels.append((1, 1.0))
            elif share <= NEGATIVE_SHARE:
                labels.append((0, 1.0))
            else:
                labels.append(None)
    _one_copy(texts, tokens, labels)
    for index in maybe:
        above = _nearest(labels, index, -1)
        below = _nearest(labels, index, 1)
        if above is not None and above == below:
            labels[index] = (above, SHORT_WEIGHT)
    return labels


def _one_copy(texts: list[str], tokens: list[list[str]], labels: list[tuple[int, float] | None]) -> None:
    """Of the copies of a line labelled article, keep the one among most article lines as article."""
    copies: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        label = labels[index]
        if label is not None and label[0] == 1 and len(tokens[index]) >= SHINGLE:
            copies.setdefault(_normal(text), []).append(index)
    for indexes in copies.values():
        if len(indexes) < 2:
            continue

        def support(index: int) -> int:
            near = range(max(0, index - NEIGHBOUR_REACH), min(len(labels), index + NEIGHBOUR_REACH + 1))
            return sum(1 for i in near if i != index and (label := labels[i]) is not None and label[0] == 1)

        keep = max(indexes, key=lambda i: (support(i), -i))
        for index in indexes:
            if index != keep:
                labels[index] = (0, COPY_WEIGHT)


def _nearest(labels: list[tuple[int, float] | None], index: int, step: int) -> int | None:
    for distance in range(1, NEIGHBOUR_REACH + 1):
        other = index + step * distance
        if not 0 <= other < len(labels):
            return None
        label = labels[other]
        if label is not None and label[1] >= 1.0:
            return label[0]
    return None


def _label_by_snippets(
    texts: list[str], with_: tuple[str, ...], without: tuple[str, ...]
) -> list[tuple[int, float] | None]:
    wanted = [s for s in map(_normal, with_) if s]
    unwanted = [s for s in map(_normal, without) if s]
    labels: list[tuple[int, float] | None] = []
    for text in texts:
        line = _normal(text)

        def hit(snippets: list[str], line: str = line) -> bool:
            return any(s in line or (len(line) >= MIN_INSIDE_SNIPPET and line in s) for s in snippets)

        good, bad = hit(wanted), hit(unwanted)
        labels.append((1, 1.0) if good and not bad else (0, 1.0) if bad and not good else None)
    return labels


def page_samples(page: FlatPage, samples: Samples) -> None:
    """Add the labelled lines of one page to `samples`."""
    from warta.extract.text import line_rows

    lines, rows = line_rows(page.text, page.url)
    labels = label_lines([line.text for line in lines], page)
    labelled = sum(1 for label in labels if label is not None)
    if not labelled:
        return
    scale = min(1.0, math.sqrt(PAGE_LINES / labelled))
    for line, row, label in zip(lines, rows, labels, strict=True):
        if label is None:
            continue
        size = len(words(line.text))
        samples.add(row, label[0], label[1] * scale * (1.0 + math.log1p(size)) / 3.0, page.site, page.key)


def samples(data_dir: Path) -> Samples:
    """The labelled lines of every flattened page of the sets (features as `warta.extract.line_features`)."""
    from warta.extract.line_features import FEATURES

    found = Samples(FEATURES)
    for page in flat_pages(data_dir):
        page_samples(page, found)
    return found


def build(samples: Samples, out_dir: Path) -> dict[str, Any]:
    """Fit the line scorer on `samples` and write `lines.txt` and its manifest entry into `out_dir`."""
    booster = fit(samples, rounds=ROUNDS, params=PARAMS)
    return write_model(out_dir, NAME, booster, VERSION, THRESHOLD, samples, DATA_NOTE)


def label_counts(found: Samples) -> Counter[int]:
    return Counter(found.labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="the models directory to write into")
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data")
    args = parser.parse_args(argv)
    found = samples(args.data_dir)
    entry = build(found, args.out)
    counts = label_counts(found)
    print(
        f"{entry['rows']} lines ({counts[1]} article, {counts[0]} not) from {entry['pages']} pages of "
        f"{entry['sites']} sites -> {args.out / entry['file']} ({(args.out / entry['file']).stat().st_size} bytes)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
