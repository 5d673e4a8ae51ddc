"""Why a feed, sitemap or web archive could not be read.

    WartaError
    └── SourceError              a listing or archive cannot be read
        ├── EmptySourceError     nothing (or only whitespace) to read
        ├── SourceTooLargeError  over MAX_LISTING_BYTES (before or after gunzip), or MAX_FEED_BYTES
        ├── BrokenGzipError      gzip magic bytes, but not a readable gzip stream
        ├── MalformedXMLError    XML that is not well-formed, or that declares entities
        ├── MalformedJSONError   a JSON Feed that is not valid JSON
        ├── NotAFeedError        a readable document that is no feed or sitemap (an HTML page, say)
        └── BrokenWarcError      a truncated or corrupt WARC file, raised after its readable records

A sitemap that breaks off after some entries is not an error: its `Listing` keeps them and names the
damage; nor is a WARC record with a wrong length, reported as a page with error "broken-record". Each
error carries a short `reason` code, like every `WartaError`, so a crawl counts skipped sources by kind.
"""

from __future__ import annotations

from warta.errors import WartaError


class SourceError(WartaError):
    """A feed, sitemap or web archive cannot be read."""

    reason = "source-failed"


class EmptySourceError(SourceError):
    """The document is empty or holds only whitespace."""

    reason = "empty"


class SourceTooLargeError(SourceError):
    """The document, or what its gzip stream inflates to, is over the size limit."""

    reason = "too-large"


class BrokenGzipError(SourceError):
    """The document starts like gzip but cannot be decompressed (truncated or corrupt)."""

    reason = "broken-gzip"


class MalformedXMLError(SourceError):
    """The XML is not well-formed, or it declares entities (which Warta never expands)."""

    reason = "malformed-xml"


class MalformedJSONError(SourceError):
    """The document is meant as a JSON Feed but is not valid JSON."""

    reason = "malformed-json"


class NotAFeedError(SourceError):
    """The document is readable but is neither a feed nor a sitemap."""

    reason = "not-a-feed"


class BrokenWarcError(SourceError):
    """The WARC file is truncated or corrupt; the records before the damage were already yielded."""

    reason = "broken-warc"
