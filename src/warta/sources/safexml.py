"""Stream untrusted XML through lxml without letting the document reach the disk or the network.

A sitemap is XML from anyone. libxml2 would otherwise load external DTDs and expand entities, which lets a
document read local files (XXE) or expand a few entity declarations into gigabytes ("billion laughs"). The
parser here resolves no entities, loads no DTD, makes no network request and keeps libxml2's limits on depth
and text size; a document that declares entities at all is refused (`MalformedXMLError`), like a feed.

Documents are read as a stream of start and end events (a pull parser fed in chunks), never as a whole
tree: a sitemap of 50,000 entries as a tree costs hundreds of megabytes, as events only the entry being read.
The pull parser rather than `iterparse`: from lxml 6.2 on, `iterparse` drops the events of the chunk in which
the document breaks, where the pull parser still hands them over, so a cut sitemap keeps its whole entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

# lxml ships no type stubs and the project's mypy overrides do not list it, hence the Any.
from lxml import etree

from warta.sources.errors import MalformedXMLError
from warta.sources.prolog import local_name

# An lxml element; untyped, since lxml is.
Element: TypeAlias = Any

# libxml2's error domain for prefixes used without a declaration (`news:` in many Google News sitemaps):
# the document is well-formed XML, only not namespace-well-formed, and search engines read it.
FORGIVEN_ERROR_DOMAINS = frozenset({"NAMESPACE"})
# Bytes fed to the parser at a time: the events of one chunk are held at once.
FEED_BYTES = 64 * 1024


class XmlEvents:
    """The start and end events of a document, each with the element's local name and depth (root: 0).

    After iterating, `broken` is None for a well-formed document, else libxml2's message for where it broke
    off; the events before the break were all delivered, so a caller keeps what it read. Raises
    `MalformedXMLError` when the document declares entities.
    """

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._parser = etree.XMLPullParser(
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,  # keeps libxml2's limits on depth and text-node size
            remove_comments=True,
            remove_pis=True,
            recover=False,  # a cut document stops at the cut instead of inventing the rest
        )
        self.broken: str | None = None

    def __iter__(self) -> Iterator[tuple[str, str, int, Element]]:
        depth = 0
        for event, element in self._events():
            if event == "start":
                if depth == 0:
                    _refuse_declared_entities(element)
                yield event, local_name(element.tag), depth, element
                depth += 1
            else:
                depth -= 1
                yield event, local_name(element.tag), depth, element

    def _events(self) -> Iterator[tuple[str, Element]]:
        error: etree.XMLSyntaxError | None = None
        for start in range(0, len(self._body), FEED_BYTES):
            try:
                self._parser.feed(self._body[start : start + FEED_BYTES])
            except etree.XMLSyntaxError as raised:
                error = raised
            yield from self._parser.read_events()
            if error is not None:
                break
        else:
            try:
                self._parser.close()
            except etree.XMLSyntaxError as raised:  # a document cut off (or with no root at all)
                # lxml 6.2 then ends the open elements with events of its own: they are not the document's.
                error = raised
            else:
                yield from self._parser.read_events()
        if error is not None:
            entries = list(self._parser.error_log)
            if not entries or any(entry.domain_name not in FORGIVEN_ERROR_DOMAINS for entry in entries):
                self.broken = str(error)


def _refuse_declared_entities(root: Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise MalformedXMLError("the document declares entities, which Warta never expands")


def forget(element: Element) -> None:
    """Drop an element that has ended, and its earlier siblings, so a long document holds only its path."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        del parent[:]
