"""Read the fields around the body, in order of trust, and choose the dates and the authors among them.

`read_metadata` runs on the unpruned tree (bylines and dates often sit in the furniture that pruning
removes); `settle` runs once the tree is pruned, adds what the visible text prints, and chooses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from warta.extract.metadata.author_candidates import choose_authors
from warta.extract.metadata.bylines import read_author_marks
from warta.extract.metadata.date_choice import choose_dates
from warta.extract.metadata.date_witnesses import read_datelines, read_hints, read_marked_dates, read_url_date
from warta.extract.metadata.document import read_document
from warta.extract.metadata.jsonld import json_ld_items, read_json_ld
from warta.extract.metadata.metatags import read_meta_tags
from warta.extract.metadata.record import Metadata
from warta.extract.metadata.taxonomy import read_taxonomy
from warta.extract.metadata.visible_text import read_visible_text
from warta.models import DateHints

Node = Any  # selectolax.lexbor.LexborNode


def read_metadata(tree: Node, url: str | None, now: datetime | None = None, hints: DateHints | None = None) -> Metadata:
    """Collect the page's declared metadata from the unpruned tree.

    `now` is the reference time for relative datelines ("2 jam lalu") and the latest plausible date; `hints`
    what the crawl knows of the page's dates. The dates and people are only gathered here; `settle` adds
    what the plain text prints, and chooses.
    """
    # The order of the readers is the order of trust: `Metadata.set` keeps a field's first value, and the
    # candidate lists are weighed in the order they were filled.
    meta = Metadata()
    ld_items = list(json_ld_items(tree))
    for item in ld_items:
        read_json_ld(meta, item, url)
    read_meta_tags(meta, tree, url)
    read_marked_dates(meta, tree)
    read_document(meta, tree, url)
    read_author_marks(meta, tree, url)
    read_taxonomy(meta, tree, ld_items, url)  # after the declared sources, whose values `set` keeps
    read_datelines(meta, tree, now)  # after the `lang` attribute, which names the datelines' language
    read_url_date(meta, url)
    read_hints(meta, hints)
    return meta


def settle(meta: Metadata, visible: Node | None, url: str | None, now: datetime | None = None) -> None:
    """Add the dates and the byline printed in the page's plain text, then choose the dates and the people.

    `visible` is the page body once scripts and other never-visible elements are gone (after
    `prune.prune`): the text a reader sees, without the megabytes of script data heavy pages carry.
    """
    if visible is not None:
        read_visible_text(meta, visible, now)
    choose(meta, url)


def choose(meta: Metadata, url: str | None) -> None:
    """Choose the published and updated dates among the witnesses gathered, and the people among the bylines."""
    choose_dates(meta, url)
    choose_authors(meta, url)
