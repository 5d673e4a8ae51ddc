"""Read what the document's own elements say of the page: its canonical link, language, title and headings.

The headings are read before pruning, since headers and heroes hold many headlines, and are the title
scorer's candidates (see `warta.extract.titles`) beside the declared titles.
"""

from __future__ import annotations

from typing import Any

from warta.extract.metadata.record import Metadata, clean
from warta.extract.urls import web_url

Node = Any  # selectolax.lexbor.LexborNode

# The headings that may hold the headline, with how many of each are read: sites put the site name or a
# section in the first <h1>, the headline in the second, or the headline in an <h2> under a kicker.
HEADING_CANDIDATES: tuple[tuple[str, int], ...] = (("h1", 3), ("h2", 2))
# A heading longer than this is a paragraph someone styled as a heading.
MAX_HEADING_CHARS = 300

# Elements whose text a reader never sees: CSS-in-JS frameworks put <style> inside headings, and the tree
# is not pruned yet when the headings are read.
_UNSHOWN = "style, script, noscript, template"


def read_document(meta: Metadata, tree: Node, url: str | None) -> None:
    """Read the microdata headline, the canonical link, the `lang` attribute, `<title>` and the headings."""
    node = tree.css_first("[itemprop=headline]")
    if node is not None:
        headline = clean(node.attributes.get("content") or node.text(deep=True))
        if headline:
            meta.title_candidates.append(("microdata:headline", headline))
    link = tree.css_first("link[rel=canonical][href]")
    if link is not None:
        canonical = web_url(url, link.attributes.get("href"))
        if canonical:
            meta.canonical_url = canonical
            meta.provenance["canonical_url"] = "dom:link-canonical"
    html = tree.css_first("html")
    if html is not None:
        meta.set("language", clean(html.attributes.get("lang")), "dom:html-lang")
    title = tree.css_first("title")
    if title is not None:
        text = clean(title.text(deep=True))
        if text:
            meta.title_candidates.append(("dom:title", text))
    h1 = tree.css_first("h1")
    if h1 is not None:
        meta.h1 = clean(_shown_text(h1))
    for tag, limit in HEADING_CANDIDATES:
        for rank, node in enumerate(tree.css(tag)[:limit]):
            text = clean(_shown_text(node))
            if text and len(text) <= MAX_HEADING_CHARS:
                meta.headings.append((f"{tag}#{rank}", text))


def _shown_text(node: Node) -> str:
    """The element's text without that of its <style>, <script> and like descendants."""
    if node.css_first(_UNSHOWN) is None:
        return str(node.text(deep=True))
    parts: list[str] = []
    pending = [node]
    while pending:  # depth first, in document order, without recursion (nesting depth is the page's)
        current = pending.pop()
        if current.tag == "-text":
            parts.append(current.text_content or "")
        elif current is node or current.tag not in ("style", "script", "noscript", "template"):
            pending.extend(reversed(list(current.iter(include_text=True))))
    return "".join(parts)
