"""The learned body scorer: the shipped model, its features, and that its verdicts decide the body."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import warta
from tests.conftest import page
from warta.extract import learned
from warta.extract.html import extract_html, read_page, rule_features
from warta.extract.learned import ModelError, Models, Scorer
from warta.extract.runfeatures import FEATURES

MODELS_DIR = Path(learned.__file__).parent / "models"

ARTICLE = [
    "The council met on Tuesday to discuss the budget for the coming year, which has grown by a tenth.",
    "Members argued for three hours about the cost of the new bridge across the river near the old mill.",
    "A vote is expected next week, after the finance committee has looked at the figures once more.",
]
BOX = [
    "Readers also liked this long story about the history of bridges in the region and their builders.",
    "Another popular story about the mill, its owners over two centuries and the floods it survived.",
]


def _page() -> str:
    article = "".join(f"<p>{text}</p>" for text in ARTICLE)
    box = "".join(f"<p>{text}</p>" for text in BOX)
    return page(f"<article><h1>Council debates budget</h1>{article}</article><div class=more>{box}</div>")


@dataclass
class _Booster:
    """Stands in for a LightGBM booster: scores a run by whether its text is in `favoured`."""

    texts: list[str]
    favoured: list[str]

    def predict(self, matrix: Any, num_threads: int = 1) -> list[float]:
        assert matrix.shape == (len(self.texts), len(FEATURES))
        return [0.9 if text in self.favoured else 0.1 for text in self.texts]


def _models_favouring(html: str, favoured: list[str]) -> Models:
    reading = read_page(html, None)
    assert reading.runs is not None
    texts = [run.text for run in reading.runs.runs]
    return Models(body=Scorer("body", 1, FEATURES, 0.5, _Booster(texts, favoured)))


def test_the_scorer_decides_which_runs_are_the_body() -> None:
    html = _page()
    rules = extract_html(html, models=Models.none())
    assert [block.text for block in rules.body] == ARTICLE + BOX  # both are prose to the rules
    for favoured in (ARTICLE, BOX):
        article = extract_html(html, models=_models_favouring(html, favoured))
        assert [block.text for block in article.body] == favoured
        assert "scored by body model v1" in article.provenance["body"]


def test_a_model_that_keeps_nothing_leaves_the_rules_pick() -> None:
    html = _page()
    article = extract_html(html, models=_models_favouring(html, []))
    assert [block.text for block in article.body] == ARTICLE + BOX


def test_feature_rows_describe_each_run() -> None:
    html = page(
        "<nav><ul><li><a href=/a>Home</a></li><li><a href=/b>World</a></li></ul></nav>"
        f"<article><p>{ARTICLE[0]}</p><p>{ARTICLE[1]}</p></article>"
    )
    reading = read_page(html, None)
    assert reading.runs is not None
    matrix = rule_features(reading.runs, reading.declared_article)
    assert matrix.shape == (len(reading.runs.runs), len(FEATURES))
    column = {name: index for index, name in enumerate(FEATURES)}
    texts = [run.text for run in reading.runs.runs]
    home, paragraph = texts.index("Home"), texts.index(ARTICLE[0])
    assert matrix[home, column["a_nav"]] == 1
    assert matrix[paragraph, column["a_nav"]] == 0
    assert matrix[paragraph, column["a_article"]] == 1
    assert matrix[paragraph, column["o_p"]] == 1
    assert matrix[home, column["link_density"]] == 1.0
    assert matrix[paragraph, column["link_density"]] == 0.0


def test_the_shipped_model_reads_the_features_the_code_computes() -> None:
    scorer = Models.shipped().body
    assert scorer is not None
    assert scorer.features == FEATURES
    menu = "".join(f"<li><a href='/{name}'>{name}</a></li>" for name in ("Home", "World", "Business", "Sport"))
    related = "".join(
        f"<li><a href='/r/{i}'>Another story about the river and its bridges, part {i}</a></li>" for i in range(5)
    )
    html = page(
        f"<header><nav><ul>{menu}</ul></nav></header><main><article><h1>Council debates budget</h1>"
        + "".join(f"<p>{text}</p>" for text in ARTICLE)
        + f"</article><aside><h2>Related</h2><ul>{related}</ul></aside></main>"
        "<footer><p>Copyright 2024 The Town Crier. All rights reserved.</p></footer>"
    )
    article = warta.extract(html)
    assert [block.text for block in article.body] == ARTICLE
    assert "scored by body model" in article.provenance["body"]


def test_a_model_file_that_does_not_match_its_manifest_is_refused(tmp_path: Path) -> None:
    shutil.copytree(MODELS_DIR, tmp_path / "models")
    model = tmp_path / "models" / "body.txt"
    model.write_text(model.read_text(encoding="utf-8").replace("Tree=0", "Tree=0 ", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="does not match"):
        Models.from_dir(tmp_path / "models")


def test_a_model_whose_features_differ_from_its_manifest_is_refused(tmp_path: Path) -> None:
    shutil.copytree(MODELS_DIR, tmp_path / "models")
    manifest_path = tmp_path / "models" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["body"]["features"] = manifest["body"]["features"][::-1]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="features differ"):
        Models.from_dir(tmp_path / "models")
