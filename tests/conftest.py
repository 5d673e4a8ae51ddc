from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def page(body: str, head: str = "", lang: str = "en") -> str:
    """A minimal but complete HTML document around `body`."""
    return f"<!doctype html><html lang={lang}><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"
