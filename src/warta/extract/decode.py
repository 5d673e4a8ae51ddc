"""Turn the bytes of a page into text, the way browsers do, and refuse what is not text.

Order of evidence, after the WHATWG encoding-sniffing algorithm: a byte-order mark, the charset the HTTP
transport declared, a ``<meta charset>`` found by prescanning the first kilobyte, and then detection by
charset-normalizer. One departure from browsers, on purpose: a page that declares a legacy charset (Windows-1252,
GB2312, Shift_JIS, ...) but whose bytes are valid multi-byte UTF-8 is read as UTF-8. Mislabelled UTF-8 is by
far the most common encoding bug on the web (archives and scrapers re-encode pages and keep the old meta
tag), a page of legacy-encoded text is practically never valid UTF-8 by chance, and a browser's mojibake is
no use to a text pipeline.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from warta.errors import BinaryInputError, DecodeError, EmptyInputError
from warta.extract.encodings import LABEL_STRIP, WHATWG_LABELS
from warta.extract.limits import check_size

# How many leading bytes to inspect for binary signatures and the meta charset (the WHATWG prescan reads
# 1024 bytes; real pages often push the meta past that with long comments, so we look a little further).
PRESCAN_BYTES = 4096

# Signatures of binary formats people feed to an HTML extractor by mistake.
BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip (callers decompress files themselves; here it means a raw binary body)
    b"\x7fELF",
    b"RIFF",
    b"\x00\x00\x01\x00",  # ico
    b"BZh",
    b"\xfd7zXZ",
    b"OggS",
    b"ID3",
    b"wOFF",
    b"wOF2",
)

# A declared UTF-16 in a meta tag is ignored (the page could not have been parsed to find it); the
# standard reads it as UTF-8, and so does the fallback below when the bytes are UTF-8.
_META_IGNORED = frozenset({"utf-16-le", "utf-16-be"})

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""",
    re.IGNORECASE,
)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE)

# Share of NUL and other C0 control bytes (bar tab, newline, carriage return, form feed, escape) above which
# a prefix is taken for binary data rather than text.
MAX_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def codec_for(label: str | None) -> str | None:
    """Return the Python codec for an encoding label, or None when the WHATWG Encoding Standard lists no
    such label (``hex``, ``rot13``, ``idna`` are Python codecs but no page's encoding; see encodings.py)."""
    if not label:
        return None
    codec = WHATWG_LABELS.get(label.strip(LABEL_STRIP).lower())
    return codecs.lookup(codec).name if codec is not None else None


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the charset parameter of an HTTP Content-Type value, if any."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1) if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text; return the text and the codec used.

    `declared` is the charset of the transport (an HTTP ``Content-Type`` charset parameter), if known.
    Raises TooLargeError, EmptyInputError, BinaryInputError or DecodeError.
    """
    check_size(data)
    if not data.strip():
        raise EmptyInputError("the input is empty")

    for bom, bom_codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_codec, errors="replace"), bom_codec

    head = data[:PRESCAN_BYTES]
    _refuse_binary(head)

    codec = codec_for(declared)
    if codec is None:
        match = _META_CHARSET.search(head)
        if match:
            codec = codec_for(match.group(1).decode("ascii", "replace"))
            if codec in _META_IGNORED:
                codec = None
    if codec is not None:
        if not codec.startswith(("utf-16", "utf-32")) and codec != "utf-8" and _is_multibyte_utf8(data):
            return data.decode("utf-8"), "utf-8"
        return data.decode(codec, errors="replace"), codec

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("no encoding reads these bytes as text")
    return str(best), codecs.lookup(best.encoding).name


def _refuse_binary(head: bytes) -> None:
    if head.startswith(BINARY_MAGIC):
        raise BinaryInputError("the input is binary data (a file signature matched)")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(head):
        raise BinaryInputError("the input is binary data (too many control bytes)")


def _is_multibyte_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
