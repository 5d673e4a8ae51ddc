"""Warta: turn news pages into clean, structured, searchable articles.

>>> import warta
>>> article = warta.extract(html_bytes, url="https://example.org/news/1")  # doctest: +SKIP
>>> article.title, article.published, article.text  # doctest: +SKIP
"""

from warta._version import __version__
from warta.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    ExtractionError,
    NotHTMLError,
    TooLargeError,
    WartaError,
)
from warta.extract import extract, extract_any, extract_text
from warta.models import Access, Article, Block, BlockKind, DateHints, Image, PageKind, Person

__all__ = [
    "Access",
    "Article",
    "BinaryInputError",
    "Block",
    "BlockKind",
    "DateHints",
    "DecodeError",
    "EmptyInputError",
    "ExtractionError",
    "Image",
    "NotHTMLError",
    "PageKind",
    "Person",
    "TooLargeError",
    "WartaError",
    "__version__",
    "extract",
    "extract_any",
    "extract_text",
]
