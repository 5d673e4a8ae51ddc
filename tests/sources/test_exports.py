from __future__ import annotations

import warta.sources
from warta.errors import WartaError
from warta.sources import errors


def test_all_names_exist_and_nothing_public_is_missing() -> None:
    for name in warta.sources.__all__:
        assert hasattr(warta.sources, name), name
    public = {n for n in vars(warta.sources) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(warta.sources, n)).__name__ == "module"}
    assert public - modules <= set(warta.sources.__all__)


def test_every_source_error_has_its_own_reason_under_one_base() -> None:
    classes = [value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, WartaError)]
    subclasses = [cls for cls in classes if cls is not errors.SourceError and cls is not WartaError]
    assert all(issubclass(cls, errors.SourceError) for cls in subclasses)
    reasons = [cls.reason for cls in subclasses]
    assert len(set(reasons)) == len(reasons)
    assert {"malformed-xml", "not-a-feed", "too-large", "broken-gzip", "empty", "broken-warc"} <= set(reasons)
