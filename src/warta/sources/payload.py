"""The bytes of a listing document as a parser should see them: gunzipped, bounded, not empty.

Sitemaps are often served as `.xml.gz` files whose gzip layer is not a transfer encoding, so the HTTP client
hands them over still compressed; feeds occasionally are too. A few kilobytes of gzip can inflate to
gigabytes, so decompression stops at a limit instead of trusting the stream.
"""

from __future__ import annotations

import gzip
import io
import zlib

from warta.sources.errors import BrokenGzipError, EmptySourceError, SourceTooLargeError

# The sitemaps protocol caps a sitemap at 50 MB uncompressed; no honest feed comes near it. Applied both to
# the bytes as given and to what a gzip stream inflates to, so a decompression bomb stops here.
MAX_LISTING_BYTES = 50 * 1024 * 1024

# Inflate in steps of this size so a small document never makes a buffer the size of the limit.
INFLATE_CHUNK_BYTES = 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"


def unpack(data: bytes) -> bytes:
    """Return the document's bytes, gunzipped when they are gzip, within MAX_LISTING_BYTES.

    Raises `EmptySourceError`, `SourceTooLargeError` or `BrokenGzipError`.
    """
    if len(data) > MAX_LISTING_BYTES:
        raise SourceTooLargeError(f"{len(data)} bytes, over the {MAX_LISTING_BYTES}-byte limit")
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, MAX_LISTING_BYTES)
    if not data.strip():
        raise EmptySourceError("the document is empty")
    return data


def _gunzip(data: bytes, limit: int) -> bytes:
    # gzip.decompress() has no output cap, so read the stdlib's streaming reader a chunk at a time instead.
    parts: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(INFLATE_CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise SourceTooLargeError(f"the gzip stream inflates past the {limit}-byte limit")
                parts.append(chunk)
    except (OSError, EOFError, zlib.error) as error:
        raise BrokenGzipError(f"unreadable gzip stream: {error}") from error
    return b"".join(parts)
