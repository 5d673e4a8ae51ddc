from __future__ import annotations

import warta


def test_all_names_exist_and_nothing_public_is_missing() -> None:
    for name in warta.__all__:
        assert hasattr(warta, name), name
    public = {n for n in vars(warta) if not n.startswith("_") and n not in {"errors", "extract", "models"}}
    modules = {n for n in public if type(getattr(warta, n)).__name__ == "module"}
    assert public - modules <= set(warta.__all__)


def test_errors_share_one_base() -> None:
    for name in ("BinaryInputError", "DecodeError", "EmptyInputError", "NotHTMLError", "ExtractionError"):
        assert issubclass(getattr(warta, name), warta.WartaError)
