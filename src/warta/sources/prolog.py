"""An XML document's text and what comes before its root element, read in one linear pass.

Hand-written because neither parser Warta uses can be trusted with the prolog of a hostile feed:
feedparser finds its DOCTYPE and entity declarations with regular expressions that look only up to the
first tag and backtrack quadratically over blank lines, and hands expat whatever entities slip past them
(expat's own guard lets a document expand to 100 times its size, so a large comment buys gigabytes). The
code here decodes the document once, walks the prolog with `str.find` (each character looked at a bounded
number of times, whatever the input), refuses any entity declaration, and rebuilds the document as plain
UTF-8 with nothing before its root, which is all feedparser then sees.

>>> prolog = read_prolog(decode_document(b'<?xml version="1.0"?><!-- hi --><rss version="2.0"/>'))
>>> prolog.root_name, prolog.doctype_name
('rss', None)
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from warta.sources.errors import MalformedXMLError

# Byte-order marks, UTF-32's before UTF-16's: UTF-32-LE's mark begins with UTF-16-LE's.
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How `<?` (or `<` alone for UTF-32) starts in the wide encodings when a document carries no byte-order mark
# (XML 1.0, appendix F).
UNMARKED_STARTS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)

# The encoding named by an XML declaration at the very start (a little leading space forgiven). Bounded
# repetition and applied to DECLARATION_BYTES only, so it cannot backtrack far.
DECLARATION_BYTES = 1024
_DECLARED_ENCODING = re.compile(
    rb"\s{0,64}<\?xml[^>]{0,512}?\sencoding\s{0,16}=\s{0,16}[\"']([A-Za-z][A-Za-z0-9._:-]{0,63})[\"']"
)

# Codecs Python accepts as text encodings that no web document is written in, and that either decode
# quadratically (punycode) or would let a document spell markup the scan below does not see (utf-7).
NOT_DOCUMENT_ENCODINGS = frozenset({"utf-7", "punycode", "idna", "unicode-escape", "raw-unicode-escape"})

# What most undeclared, non-UTF-8 feeds are in; decoded with replacement, so reading never fails.
FALLBACK_ENCODING = "windows-1252"

# The declaration every rebuilt document starts with, so feedparser neither guesses nor re-decodes.
UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

ENTITY_DECLARATION = "<!ENTITY"

_SPACE = re.compile(r"[\s\ufeff]*")
_DOCTYPE_SUBSET_END = re.compile(r"\]\s*>")
# A tag or DOCTYPE name: bounded, so a megabyte without a delimiter is not copied whole.
_NAME = re.compile(r"[^\s/>\[\]\"'<]{1,256}")


@dataclass(frozen=True, slots=True)
class Prolog:
    """Where the root element starts in a decoded document, and the names its prolog gives.

    `root_start` is the index of the root's `<` (None when there is no root element); `root_name` its local
    name, lower-cased and without prefix; `doctype_name` the lower-cased name of a DOCTYPE before it.
    """

    root_start: int | None
    root_name: str | None
    doctype_name: str | None


def decode_document(body: bytes) -> str:
    """Decode an XML document as a conforming parser would, never failing.

    A byte-order mark, then the wide-encoding signatures, then the declared encoding (if it is a known
    text encoding compatible with ASCII, which any declaration readable here must be), then UTF-8, then
    FALLBACK_ENCODING with replacement characters.
    """
    for mark, name in BYTE_ORDER_MARKS:
        if body.startswith(mark):
            return body[len(mark) :].decode(name, "replace")
    for start, name in UNMARKED_STARTS:
        if body.startswith(start):
            return body.decode(name, "replace")
    for encoding in (_declared_encoding(body), "utf-8"):
        if encoding is None:
            continue
        try:
            return body.decode(encoding)
        except (UnicodeError, LookupError):
            continue
    return body.decode(FALLBACK_ENCODING, "replace")


def _declared_encoding(body: bytes) -> str | None:
    match = _DECLARED_ENCODING.match(body[:DECLARATION_BYTES])
    if match is None:
        return None
    name = match.group(1).decode("ascii")
    try:
        canonical = codecs.lookup(name).name
        # A codec that is no text encoding ("hex", "rot13") or spells `<?xml` differently cannot be what
        # these ASCII bytes are in: the declaration is wrong, and the document is read as if it had none.
        ascii_compatible = "<?xml".encode(name) == b"<?xml"
    except (LookupError, UnicodeError):
        return None
    if not ascii_compatible or canonical.replace("_", "-") in NOT_DOCUMENT_ENCODINGS:
        return None
    return name


def read_prolog(text: str) -> Prolog:
    """Walk the prolog of a decoded document to its root element, skipping declarations, comments, PIs.

    Stray text before the root (common in feeds that a CMS prefixed with a warning) is skipped up to the
    next `<`. Raises `MalformedXMLError` when the document declares entities anywhere (see
    `refuse_entity_declarations`).
    """
    refuse_entity_declarations(text)
    doctype_name: str | None = None
    position = 0
    length = len(text)
    while True:
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]  # `*` always matches
        if position >= length:
            return Prolog(None, None, doctype_name)
        if text.startswith("<!--", position):
            position = _after(text, "-->", position + 4)
        elif text.startswith("<?", position):
            position = _after(text, "?>", position + 2)
        elif text[position : position + 9].upper() == "<!DOCTYPE":
            name = _NAME.match(text, _SPACE.match(text, position + 9).end())  # type: ignore[union-attr]
            doctype_name = doctype_name or (name.group().lower() if name else "")
            position = _doctype_end(text, position + 9)
        elif text.startswith("<", position) and _NAME.match(text, position + 1) and text[position + 1] != "!":
            name = _NAME.match(text, position + 1)
            assert name is not None  # just matched
            return Prolog(position, local_name(name.group()), doctype_name)
        else:
            position = text.find("<", position + 1)
        if position < 0:
            return Prolog(None, None, doctype_name)


def _after(text: str, closer: str, start: int) -> int:
    end = text.find(closer, start)
    return end + len(closer) if end >= 0 else -1


def _doctype_end(text: str, start: int) -> int:
    # `<!DOCTYPE name SYSTEM "uri">` ends at its `>`; one with an internal subset `[...]` at `]>`. Quoted
    # strings that hold `>` are not looked into: the subset's only content worth reading (entities) is
    # refused before this runs, and an error here only skips too much of a document that is already odd.
    close = text.find(">", start)
    bracket = text.find("[", start)
    if bracket < 0 or (0 <= close < bracket):
        return close + 1 if close >= 0 else -1
    end = _DOCTYPE_SUBSET_END.search(text, bracket)
    return end.end() if end else -1


def refuse_entity_declarations(text: str) -> None:
    """Raise `MalformedXMLError` when the document declares an entity, wherever it does.

    Every entity declaration is refused, harmless-looking ones included: besides nesting ("billion
    laughs") and external references (XXE), one plain entity with a long value referenced many times
    ("quadratic blowup") is enough to exhaust memory, and honest feeds and sitemaps declare none. A
    `<!ENTITY` shown as text inside a CDATA section or comment (a tutorial's feed) is not a declaration.
    """
    if ENTITY_DECLARATION not in text:  # the usual case, decided in C at memory speed
        return
    position = text.find("<!")
    while position >= 0:
        if text.startswith("<![CDATA[", position):
            position = _after(text, "]]>", position + 9)
        elif text.startswith("<!--", position):
            position = _after(text, "-->", position + 4)
        elif text.startswith(ENTITY_DECLARATION, position):
            raise MalformedXMLError("the document declares entities, which Warta never expands")
        else:
            position += 2
        if position >= 0:
            position = text.find("<!", position)


def rebuilt_document(text: str, prolog: Prolog) -> bytes:
    """The document from its root element on, as UTF-8 behind a fresh declaration and nothing else.

    Dropping the prolog drops any DOCTYPE, so a parser reading the result has no entity to expand and no
    DTD to fetch; comments and stylesheet instructions before the root carry nothing a listing uses.
    """
    body = text[prolog.root_start :] if prolog.root_start is not None else text
    return (UTF8_DECLARATION + body).encode("utf-8", "replace")


def local_name(name: str) -> str:
    """A tag name without namespace or prefix, lower-cased ("rdf:RDF" and "{ns}RDF" give "rdf")."""
    return name.rpartition("}")[2].rpartition(":")[2].lower()
