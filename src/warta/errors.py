"""Warta's exceptions: one hierarchy under one base class.

    WartaError
    └── ExtractionError        the input cannot become an article
        ├── EmptyInputError    nothing (or only whitespace) to read
        ├── BinaryInputError   bytes that are not text (images, archives, executables)
        ├── DecodeError        text in an encoding that cannot be read
        ├── NotHTMLError       readable text that is not an HTML page
        └── TooLargeError      more input than one page can be (see warta.extract.limits)

Each carries a short `reason` code, so batch jobs can count skips by kind.
"""

from __future__ import annotations


class WartaError(Exception):
    """Base class of every error Warta raises on purpose."""

    reason = "error"


class ExtractionError(WartaError):
    """The input cannot be turned into an article."""

    reason = "extraction-failed"


class EmptyInputError(ExtractionError):
    """The input is empty or holds only whitespace."""

    reason = "empty"


class BinaryInputError(ExtractionError):
    """The input is binary data, not text."""

    reason = "binary"


class DecodeError(ExtractionError):
    """The bytes cannot be decoded as text in any plausible encoding."""

    reason = "undecodable"


class NotHTMLError(ExtractionError):
    """The input is text but not an HTML page."""

    reason = "not-html"


class TooLargeError(ExtractionError):
    """The input is larger than any page, in bytes, tags or lines (see `warta.extract.limits`)."""

    reason = "too-large"
