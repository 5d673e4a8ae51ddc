"""run.py's plumbing: the readability adapter's text, per-fold passes merged in page order, a small real run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from benchmarks import run
from benchmarks.datasets import Page, Truth
from benchmarks.fold_models import FoldModelsError, fold_dir
from benchmarks.folds import FOLDS, fold_of

ARTICLE = (
    "<!doctype html><html lang=id><head><meta charset=utf-8><title>Banjir di Jakarta | Kabar</title></head>"
    "<body><nav><a href=/>Beranda</a></nav><article><h1>Banjir di Jakarta</h1>"
    + "".join(
        f"<p>Paragraf {i}: hujan deras sejak pagi membuat beberapa ruas jalan di Jakarta tergenang air setinggi "
        "lutut orang dewasa, dan warga diminta berhati-hati.</p>"
        for i in range(6)
    )
    + "</article><footer>Hak cipta Kabar</footer></body></html>"
)


def test_html_text_keeps_blocks_apart() -> None:
    root = lxml.html.fromstring("<div><p>one</p><p>two<br>three</p><ul><li>four</li><li>five</li></ul>six</div>")
    assert run.html_text(root) == "one\ntwo\nthree\nfour\nfive\nsix"


def test_html_text_keeps_inline_words_together() -> None:
    root = lxml.html.fromstring("<div>x<p>a <b>bold</b> <i>word</i>s<!-- note -->!</p>tail</div>")
    assert run.html_text(root) == "x\na bold words!\ntail"


def test_html_text_reads_control_characters() -> None:
    # lxml parses them from a page but refuses them in a text set from Python.
    root = lxml.html.fromstring("<div><p>one\x01two</p><p>three</p></div>")
    assert run.html_text(root) == "one\x01two\nthree"


def test_subset_order() -> None:
    assert run.subset_order(["product", "all", "forum", "article", "all"]) == ["all", "article", "forum", "product"]


def test_readability_adapter() -> None:
    pytest.importorskip("readability")
    adapter = run.ReadabilityAdapter()
    output = adapter.convert(adapter.call(ARTICLE.encode(), "https://kabar.example.id/a"))
    assert output["title"] == "Banjir di Jakarta"
    assert "Paragraf 0: hujan deras" in output["text"]
    assert "Paragraf 5" in output["text"]
    assert output["authors"] == []
    assert output["published"] is None


def test_warta_out_of_fold_adapter_uses_the_given_models(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    adapter = run.WartaOutOfFoldAdapter(str(tmp_path))
    output = adapter.convert(adapter.call(ARTICLE.encode(), "https://kabar.example.id/a"))
    assert "Paragraf 0: hujan deras" in output["text"]
    assert adapter._models is not None
    assert adapter._models.body is None  # an empty manifest: the rules alone


def pages_on(sites: list[str]) -> list[Page]:
    return [
        Page("set", f"p{i}", Path(f"p{i}.html.gz"), f"https://{site}/{i}", ("all",), Truth())
        for i, site in enumerate(sites)
    ]


def test_per_fold_passes_are_merged_in_page_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sites = [f"site{i}.com" for i in range(12)]
    pages = pages_on(sites)
    calls: list[tuple[str, list[str]]] = []

    def fake_pass(tool: str, part: list[Page], timeout: float, log: Any, options: dict[str, Any]) -> dict[str, Any]:
        calls.append((options["models_dir"], [p.page_id for p in part]))
        return {
            "tool": tool,
            "version": "1",
            "outputs": [{"text": p.page_id} for p in part],
            "seconds": [1.0] * len(part),
            "errors": [None] * len(part),
            "peak_delta_bytes": 10 * len(part),
            "peak_total_bytes": 100,
            "children": 1,
        }

    monkeypatch.setattr(run, "_run_pass", fake_pass)
    merged = run._run_per_fold("warta-oof", pages, tmp_path, 1.0, print)
    assert [o["text"] for o in merged["outputs"]] == [p.page_id for p in pages]
    assert merged["children"] == len(calls) == len({fold_of(s) for s in sites})
    for models_dir, ids in calls:
        folds = {pages[int(i[1:])].fold for i in ids}
        assert len(folds) == 1
        assert models_dir == str(fold_dir(tmp_path, folds.pop()))
    assert merged["peak_delta_bytes"] == max(10 * len(ids) for _, ids in calls)


def test_unknown_tool_or_set() -> None:
    with pytest.raises(ValueError, match="unknown tool"):
        run.run_benchmark(["fundus"], ["newspaper"])
    with pytest.raises(ValueError, match="unknown data set"):
        run.run_benchmark(["cc-news"], ["warta"])


def id_news(tmp_path: Path) -> Path:
    """A two-page id-news set on two sites."""
    folder = tmp_path / "data" / "id-news"
    (folder / "html").mkdir(parents=True)
    records = []
    for page_id, url in (("kabar_1", "https://kabar.example.id/a"), ("kompas_kompas-mainpage", None)):
        with gzip.open(folder / "html" / f"{page_id}.html.gz", "wb") as handle:
            handle.write(ARTICLE.encode())
        body = "\n".join(f"Paragraf {i}: hujan deras" for i in range(6))
        records.append({"id": page_id, "html": f"html/{page_id}.html.gz", "kind": "article", "url": url,
                        "title": "Banjir di Jakarta", "body_text": body})  # fmt: skip
    (folder / "index.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return tmp_path / "data"


def test_out_of_fold_needs_fold_models(tmp_path: Path) -> None:
    with pytest.raises(FoldModelsError):
        run.run_benchmark(["id-news"], ["warta-oof"], data_dir=id_news(tmp_path),
                          fold_models_dir=tmp_path / "none", fold_build="never")  # fmt: skip


def test_a_small_run_in_and_out_of_fold(tmp_path: Path) -> None:
    data = id_news(tmp_path)
    models = tmp_path / "folds"
    for k in range(FOLDS):
        fold_dir(models, k).mkdir(parents=True)
        (fold_dir(models, k) / "manifest.json").write_text("{}", encoding="utf-8")
    results = run.run_benchmark(
        ["id-news"], ["warta-oof", "warta"], data_dir=data, fold_models_dir=models, fold_build="never"
    )
    rows = {(r["id"], r["tool"]): r for r in results["pages"]}
    assert rows["kompas_kompas-mainpage", "warta-oof"]["site"] == "kompas.com"
    assert rows["kabar_1", "warta-oof"]["fold"] == fold_of("example.id")
    assert rows["kabar_1", "warta"]["f1"] == rows["kabar_1", "warta-oof"]["f1"]  # no models on either side
    assert [(s["subset"], s["tool"]) for s in results["summary"]] == [("article", "warta-oof"), ("article", "warta")]
    assert results["gaps"][0]["gap"]["body_f1"] == 0.0
    assert results["meta"]["fold_models"]["dir"] == str(models)
    assert {f["fold"] for f in results["fold_summary"]} == {fold_of("example.id"), fold_of("kompas.com")}
