"""Read the fields around the body from what the page declares and prints: the `Metadata` of a page.

Each field records the source it came from; when several sources give a value, the order in which
`read_metadata` reads them is the order of trust. One module per kind of source or decision:

    record.py             the `Metadata` record, and declared values in their normal form
    jsonld.py             JSON-LD nodes: headline, dates, authors, section, tags, image, access
    metatags.py           <meta> tags: OpenGraph, Twitter cards, Dublin Core, CMS names
    document.py           the canonical link, the `lang` attribute, <title>, the headings
    bylines.py            author marks in the elements: bylines, forum posters, script data, signatures
    taxonomy.py           the section from breadcrumb trails and tags from tag links, when none is declared
    date_witnesses.py     every statement of the dates: marked up, printed, in the URL, from the crawl
    visible_text.py       dates and bylines printed in plain elements around the headline
    date_choice.py        the choice among the date witnesses, and the zone of a time without one
    author_candidates.py  the rules' choice among the author candidates, and who the publisher is
    reader.py             the readers in order of trust, then the choices
"""

from __future__ import annotations

from warta.extract.metadata.author_candidates import is_publisher, publisher_keys
from warta.extract.metadata.bylines import read_signature
from warta.extract.metadata.date_witnesses import read_dateline, read_url_date
from warta.extract.metadata.reader import choose, read_metadata, settle
from warta.extract.metadata.record import Metadata

__all__ = [
    "Metadata",
    "choose",
    "is_publisher",
    "publisher_keys",
    "read_dateline",
    "read_metadata",
    "read_signature",
    "read_url_date",
    "settle",
]
