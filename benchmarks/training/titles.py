"""Training samples for the title scorer: every headline candidate of every page with a known title.

A candidate is right when it equals the ground-truth title as the benchmark compares titles (NFC,
whitespace and case folded; a site-name suffix or other typography counts as wrong). Each page weighs the
same whatever its number of candidates, and a news page (fundus, id-news) NEWS_WEIGHT times more: the sets
disagree on what a title is (wcxb-dev's is often the visible heading, a news parser's the declared
headline), and news is what Warta is for. Measured out-of-fold, with small trees (see train.py): at 1 the
model gained on wcxb-dev and lost on news pages against the rules, at 3 it gained on every set.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.metrics import title_match
from benchmarks.training.common import NEWS_SETS, Samples, html_pages
from warta.extract import titles
from warta.extract.headline import choose_headline
from warta.extract.html import read_page

NEWS_WEIGHT = 3.0


def samples(data_dir: Path) -> Samples:
    out = Samples(titles.FEATURES)
    for name, page, text in html_pages(data_dir, lambda _name, page: bool(page.truth.title)):
        truth = page.truth.title or ""
        meta = read_page(text, page.url).meta
        host = urlsplit(page.url).hostname if page.url else None
        found = titles.candidates(meta.title_candidates, meta.headings, meta.site_name, host)
        if not found:
            continue
        rules = choose_headline(meta.title_candidates, meta.h1, meta.site_name, host)[0]
        rows = titles.feature_rows(found, meta.site_name, host, meta.is_article, rules)
        site = page.site
        weight = (NEWS_WEIGHT if name in NEWS_SETS else 1.0) / len(found)
        for candidate, row in zip(found, rows, strict=True):
            label = int(title_match(candidate.text, truth))
            out.add(row, label, weight, site, f"{name}/{page.page_id}")
    return out
