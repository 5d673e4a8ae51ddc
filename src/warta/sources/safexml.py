"""Parse untrusted XML with lxml without letting the document reach the disk or the network.

A sitemap is XML from anyone. libxml2 would otherwise load external DTDs and expand entities, which lets a
document read local files (XXE) or expand a few entity declarations into gigabytes ("billion laughs"). The
parser here resolves no entities, loads no DTD and makes no network request; libxml2's own amplification
guard refuses entity bombs outright, which surfaces as `MalformedXMLError`.
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeAlias

# lxml ships no type stubs and the project's mypy overrides do not list it, hence the ignore.
from lxml import etree

from warta.sources.errors import MalformedXMLError

# Bytes read to name the root element when sniffing what a document is: enough for any XML declaration,
# comments and doctype before it.
SNIFF_BYTES = 64 * 1024

# libxml2's verdicts on a document whose entities would expand without bound: nested ("billion laughs"),
# repeated large ("quadratic blowup") or recursive declarations.
ENTITY_BOMB_ERRORS = frozenset({"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP"})

# An lxml element; untyped, since lxml is.
Element: TypeAlias = Any


def _parser(*, recover: bool) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # keeps libxml2's limits on depth and text-node size
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def parse_xml(data: bytes) -> Element:
    """Parse a whole document safely; raise `MalformedXMLError` when it is not well-formed.

    Sitemaps that use `news:` or `image:` prefixes without declaring them are well-formed XML but not
    namespace-well-formed; libxml2 reports that as an error of its own kind. Those alone are forgiven (the
    document is read again in recovery mode, which keeps the prefixed tag names); any other error is not,
    so a truncated document is refused rather than half-read.
    """
    strict = _parser(recover=False)
    try:
        return etree.fromstring(data, strict)
    except etree.XMLSyntaxError as error:
        if not _only_namespace_errors(strict):
            raise MalformedXMLError(f"not well-formed XML: {error}") from error
    root = etree.fromstring(data, _parser(recover=True))
    if root is None:
        raise MalformedXMLError("no root element")
    return root


def _only_namespace_errors(parser: Any) -> bool:
    # The parser's own log, not the exception's: lxml lets earlier parses' errors leak into the latter.
    entries = list(parser.error_log)
    return bool(entries) and all(entry.domain_name == "NAMESPACE" for entry in entries)


def refuse_entity_bombs(data: bytes) -> None:
    """Raise `MalformedXMLError` when the document declares entities that would expand without bound.

    For documents another parser will read: feedparser hands feeds to expat, whose own guard stops a
    billion-laughs document only after about a second of expanding it. libxml2 refuses it at once, so
    documents that declare entities at all (rare in feeds) are shown to libxml2 first.
    """
    if b"<!ENTITY" not in data[:SNIFF_BYTES]:
        return
    parser = _parser(recover=True)
    with contextlib.suppress(etree.XMLSyntaxError):  # judged by the log below, like errors recovery passed over
        etree.fromstring(data, parser)
    if any(entry.type_name in ENTITY_BOMB_ERRORS for entry in parser.error_log):
        raise MalformedXMLError("the document declares entities that expand without bound")


def root_name(data: bytes) -> str | None:
    """The lower-cased local name of the document's root element, or None when there is none.

    Only the first SNIFF_BYTES are read, in recovery mode, so a feed that goes wrong later is still named.
    """
    try:
        root = etree.fromstring(data[:SNIFF_BYTES], _parser(recover=True))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    return local_name(root)


def local_name(element: Element) -> str:
    """The element's name without namespace or prefix, lower-cased.

    Matching on this is deliberate: sitemaps in the wild omit, misspell or mis-version their namespace, and
    an undeclared prefix survives recovery as part of the tag ("news:news").
    """
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def children(element: Element, name: str) -> list[Element]:
    """The element's child elements of a given local name, in document order."""
    return [child for child in element if local_name(child) == name]


def child_text(element: Element, name: str) -> str | None:
    """The stripped text of the first child of a given local name, or None when absent or empty.

    Only the element's own leading text is read: an unexpanded entity reference stays out of the value.
    """
    for child in children(element, name):
        text = (child.text or "").strip()
        return text or None
    return None
