import json
from importlib import resources

import lightgbm
import numpy as np
import pytest

from warta.extract.lgbm import LightGBMError, NativeBooster, _library, load_booster

MODELS = resources.files("warta.extract") / "models"


def _model_text(name: str) -> str:
    manifest = json.loads((MODELS / "manifest.json").read_text(encoding="utf-8"))
    return (MODELS / manifest[name]["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["body", "kind", "lines", "title"])
def test_the_library_called_directly_predicts_what_the_python_package_does(name: str) -> None:
    text = _model_text(name)
    native = load_booster(text)
    reference = lightgbm.Booster(model_str=text)
    assert isinstance(native, NativeBooster)
    assert native.feature_name() == reference.feature_name()
    rows = np.random.default_rng(7).normal(0.0, 3.0, size=(500, len(reference.feature_name())))
    rows[::7] = np.round(rows[::7])  # values on split thresholds too
    assert native.predict(rows, num_threads=1).tolist() == reference.predict(rows, num_threads=1).tolist()


def test_a_row_of_the_wrong_width_is_refused() -> None:
    native = load_booster(_model_text("title"))
    with pytest.raises(LightGBMError):
        native.predict(np.zeros((2, 3)), num_threads=1)


def test_a_corrupt_model_raises_the_librarys_message() -> None:
    lib = _library()
    assert lib is not None
    with pytest.raises(LightGBMError):
        NativeBooster(lib, "tree\nnot a model\n")


def test_without_the_library_the_python_package_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from warta.extract import lgbm

    monkeypatch.setattr(lgbm, "_library", lambda: None)
    booster = load_booster(_model_text("title"))
    assert isinstance(booster, lightgbm.Booster)
    rows = np.zeros((3, len(booster.feature_name())))
    assert (
        booster.predict(rows, num_threads=1).tolist()
        == NativeBooster(_library(), _model_text("title")).predict(rows, num_threads=1).tolist()
    )
