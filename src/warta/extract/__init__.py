"""Extraction: pure functions from page bytes or text to an `Article`. No I/O, no network."""

from __future__ import annotations

from warta.extract.entry import extract, extract_any
from warta.extract.text import extract_text

__all__ = ["extract", "extract_any", "extract_text"]
