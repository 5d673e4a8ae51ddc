"""The title scorer's candidates, their features, and the choice it makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import warta
from tests.conftest import page
from warta.extract import titles
from warta.extract.html import extract_html
from warta.extract.learned import Models, Scorer


def test_each_headline_string_is_one_candidate_raw_or_cut() -> None:
    declared = [
        ("meta:og:title", "Floods close the river road | Daily Planet"),
        ("dom:title", "Floods close the river road"),
    ]
    headings = [("h1#0", "Floods close the river road"), ("h2#0", "Most read")]
    found = titles.candidates(declared, headings, "Daily Planet", "www.dailyplanet.example")
    by_text = {candidate.text: candidate for candidate in found}
    assert set(by_text) == {"Floods close the river road | Daily Planet", "Floods close the river road", "Most read"}
    plain = by_text["Floods close the river road"]
    assert plain.source == "dom:title"  # given as written by <title> and <h1>, and cut from og:title
    assert plain.raw
    assert plain.stripped
    rows = titles.feature_rows(found, "Daily Planet", "www.dailyplanet.example", True, "Floods close the river road")
    column = {name: index for index, name in enumerate(titles.FEATURES)}
    assert all(len(row) == len(titles.FEATURES) for row in rows)
    suffixed = rows[found.index(by_text["Floods close the river road | Daily Planet"])]
    assert suffixed[column["mentions_site"]] == 1.0
    assert suffixed[column["separator"]] == 1.0
    assert rows[found.index(plain)][column["agree"]] == 2  # <title> and <h1>
    assert rows[found.index(plain)][column["rules_pick"]] == 1.0


@dataclass
class _Booster:
    favoured: str
    texts: list[str]

    def predict(self, matrix: Any, num_threads: int = 1) -> list[float]:
        return [0.9 if text == self.favoured else 0.2 for text in self.texts]


HTML = page(
    "<h1>Floods close the river road</h1><h2>Most read</h2>"
    + "".join(
        f"<p>The river rose by two metres overnight and the road along it is shut, part {i}.</p>" for i in range(4)
    ),
    head="<title>Floods close the river road | Daily Planet</title>"
    "<meta property='og:title' content='Floods close the river road | Daily Planet'>"
    "<meta property='og:site_name' content='Daily Planet'>",
)


def test_the_scorer_picks_the_title_and_says_so() -> None:
    texts = ["Floods close the river road | Daily Planet", "Floods close the river road", "Most read"]
    scorer = Scorer("title", 1, titles.FEATURES, 0.5, _Booster("Most read", texts))
    article = extract_html(HTML, "https://www.dailyplanet.example/floods", models=Models(title=scorer))
    assert article.title == "Most read"
    assert article.provenance["title"] == "h2#0, chosen by title model v1"


def test_the_shipped_title_model_cuts_the_site_name() -> None:
    assert Models.shipped().title is not None
    article = warta.extract(HTML, "https://www.dailyplanet.example/floods")
    assert article.title == "Floods close the river road"
    assert "title model" in article.provenance["title"]
