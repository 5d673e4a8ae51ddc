"""Fuzz extraction with mutants of real pages: only the ExtractionError family may escape.

The mutators are benchmarks/fuzz.py's; this runs them on a few small pages of ../shared/data for a fixed,
small number of examples (the long run is `python benchmarks/fuzz.py`). Skipped when the data is absent.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warta
from benchmarks.fuzz import MUTATORS

DATA_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"
SEED_PAGES = (
    "id-news/html/antara_antara-singlepage.html.gz",
    "fundus/at/DiePresse_2025_06_05.html.gz",
    "wcxb-dev/html/0001.html.gz",
)


def _seed_pages() -> list[bytes]:
    found = []
    for name in SEED_PAGES:
        path = DATA_DIR / name
        if path.exists():
            with gzip.open(path, "rb") as handle:
                found.append(handle.read())
    return found


PAGES = _seed_pages() if DATA_DIR.is_dir() else []
pytestmark = pytest.mark.skipif(not PAGES, reason="../shared/data is not here")

FUZZ_SETTINGS = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
mutations = st.lists(st.sampled_from(sorted(MUTATORS)), min_size=1, max_size=3)


def _mutant(page: int, names: list[str], seed: int) -> bytes:
    rng = random.Random(seed)
    data = PAGES[page % len(PAGES)]
    for name in names:
        data = MUTATORS[name](data, rng)
    return data


@FUZZ_SETTINGS
@given(page=st.integers(0, 2), names=mutations, seed=st.integers(0, 2**32))
def test_extract_raises_only_extraction_errors(page: int, names: list[str], seed: int) -> None:
    try:
        article = warta.extract(_mutant(page, names, seed))
    except warta.ExtractionError:
        return
    assert isinstance(article, warta.Article)


@settings(FUZZ_SETTINGS, max_examples=8)
@given(page=st.integers(0, 2), names=mutations, seed=st.integers(0, 2**32))
def test_extract_text_raises_only_extraction_errors(page: int, names: list[str], seed: int) -> None:
    try:
        article = warta.extract_text(_mutant(page, names, seed))
    except warta.ExtractionError:
        return
    assert isinstance(article, warta.Article)
