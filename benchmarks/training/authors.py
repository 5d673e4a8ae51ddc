"""Training samples for the author scorer: every candidate set of names of every page with known authors.

The candidates come from `warta.extract.html.extract_reading` without any model (the rules' body, so that
the samples depend on no other scorer and the fold models stay site-disjoint), and the features from
`warta.extract.authors.feature_rows`, the functions extraction calls. A candidate is right when its names
equal the ground truth's as the benchmark compares them (`metrics.authors_match`). Each page weighs the
same whatever its number of candidates. Pages whose truth names nobody are not scored by the benchmark and
give no label here.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.datasets import load, read_html
from benchmarks.metrics import authors_match
from benchmarks.training.common import SETS, Samples
from warta.errors import WartaError
from warta.extract import authors
from warta.extract.html import extract_reading
from warta.extract.learned import Models


def samples(data_dir: Path) -> Samples:
    out = Samples(authors.FEATURES)
    for name in SETS:
        for page in load(name, data_dir):
            truth = page.truth.authors
            if not truth:
                continue
            try:
                _article, meta = extract_reading(read_html(page.path), page.url, models=Models.none())
            except WartaError:
                continue
            if meta is None:
                continue
            found = authors.candidates(meta)
            if not found:
                continue
            rows = authors.feature_rows(found, meta, page.url)
            weight = 1.0 / len(found)
            for candidate, row in zip(found, rows, strict=True):
                label = int(authors_match([person.name for person in candidate.people], truth))
                out.add(row, label, weight, page.site, f"{name}/{page.page_id}")
    return out
