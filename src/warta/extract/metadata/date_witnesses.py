"""Gather every statement the page makes of its dates: each is a witness, chosen among later.

A page states its dates many times and not always alike: JSON-LD and meta tags (read by their own modules),
microdata and RDFa properties, `<time datetime>`, the datelines printed for readers, the URL's path, and
the date of the listing a crawl found it in. Here each becomes a `DateWitness` of the published or the
updated date; `date_choice` weighs them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from warta.extract.datelines import parse_dateline
from warta.extract.dates import ParsedDate, parse_machine_date
from warta.extract.metadata.record import Metadata, clean
from warta.extract.timestamps import DateWitness
from warta.extract.urls import split_url
from warta.extract.zones import same_minute
from warta.models import DateHints

Node = Any  # selectolax.lexbor.LexborNode

# Elements that print the article's date for readers; read before pruning removes them. Only the first few
# that hold a date count: further down the page they belong to related articles and comments.
DATELINE_SELECTOR = (
    "time, [class*=date i], [class*=time i], [class*=publish i], [class*=posted i], [class*=dateline i], [id*=date i]"
)
MAX_DATELINE_WITNESSES = 12
# Date marks looked at, in page order: the article's come first, the rest are rivers and threads.
MAX_DATELINE_MARKS = 30
MAX_DATELINE_CHARS = 160
# A label in a dateline that turns what follows into the updated time ("Published ... Last updated ...").
UPDATED_LABEL = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|diperbarui|pembaruan|aktualisiert|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano|oppdatert|uppdaterad|opdateret)\b",
    re.IGNORECASE,
)
# Dates in URL paths: /2022/01/20/, /20220120/, 2022-01-20.
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?!\d)")


# schema.org date properties, as microdata (`itemprop`) or RDFa (`property`, bare or with the "schema:"
# prefix Drupal writes) put them on any element. Creation is publication for a page that names no other.
PUBLISHED_PROPERTIES = ("datePublished", "dateCreated")
UPDATED_PROPERTIES = ("dateModified",)


def parse_declared(raw: str | None) -> ParsedDate | None:
    """Read a date a page declares for machines."""
    # Declared dates are meant to be ISO 8601, but CMSs also fill them with what they print ("Dec 03, 2025").
    return parse_machine_date(raw) or (parse_dateline(raw) if raw else None)


def add_witness(witnesses: list[DateWitness], source: str, parsed: ParsedDate | None) -> None:
    """Add a witness of `source`, when it gave a date."""
    if parsed is not None:
        witnesses.append(DateWitness(source, parsed))


def read_marked_dates(meta: Metadata, tree: Node) -> None:
    """Read the dates marked up for machines in the page's elements: microdata and RDFa, `<time datetime>`."""
    for names, witnesses in (
        (PUBLISHED_PROPERTIES, meta.published_witnesses),
        (UPDATED_PROPERTIES, meta.updated_witnesses),
    ):
        for prop in names:
            if _read_property_date(tree, prop, witnesses):
                break
    for node in tree.css("time[datetime]"):
        parsed = parse_machine_date(node.attributes.get("datetime"))
        if parsed is not None:
            add_witness(meta.published_witnesses, "time:datetime", parsed)
            break


def _read_property_date(tree: Node, prop: str, witnesses: list[DateWitness]) -> bool:
    selector = f"[itemprop={prop} i], [property={prop} i], [property='schema:{prop}' i]"
    for node in tree.css(selector):
        attrs = node.attributes
        raw = attrs.get("content") or attrs.get("datetime") or node.text(deep=True)
        parsed = parse_declared(raw)
        if parsed is not None:
            add_witness(witnesses, "microdata:" + prop, parsed)
            return True
    return False


def read_datelines(meta: Metadata, tree: Node, now: datetime | None) -> None:
    """Read the dates printed for readers, in page order, splitting "Published ... Updated ..." lines."""
    found = 0
    seen: set[str] = set()
    for node in tree.css(DATELINE_SELECTOR)[:MAX_DATELINE_MARKS]:
        text = clean(node.text(deep=True))
        if not text or len(text) > MAX_DATELINE_CHARS or text in seen:
            continue
        seen.add(text)
        before = len(meta.published_witnesses)
        found += read_dateline(meta, text, "dateline:" + node.tag, now)
        if len(meta.published_witnesses) > before:
            # The element's own machine value, or that of the <time> it wraps ("<div><time datetime>…").
            marked = node if "datetime" in node.attributes else node.css_first("[datetime]")
            if marked is not None:
                _in_own_offset(meta.published_witnesses, marked.attributes.get("datetime"))
        if found >= MAX_DATELINE_WITNESSES:
            break


def _in_own_offset(witnesses: list[DateWitness], machine: str | None) -> None:
    """Give a printed time without a zone the offset of its element's own `datetime`, when they show the same
    wall clock: `<time datetime="…T17:52:31Z">17:52 Uhr</time>` was rendered in UTC (by a server whose clock is
    on UTC), so it is no witness of local time."""
    declared = parse_machine_date(machine) if machine else None
    printed = witnesses[-1].date
    if declared is None or not declared.has_offset or printed.has_offset or not printed.has_time:
        return
    if same_minute(declared.value, printed.value):
        witnesses[-1] = DateWitness(witnesses[-1].source, ParsedDate(declared.value, True, True))


def read_dateline(meta: Metadata, text: str, source: str, now: datetime | None, updated: bool = False) -> bool:
    """Add the published and updated dates of one dateline; `updated` when a label before it said so."""
    label = UPDATED_LABEL.search(text)
    if label:
        published_part, updated_part = text[: label.start()], text[label.end() :]
    else:
        published_part, updated_part = ("", text) if updated else (text, "")
    language = meta.language
    published = parse_dateline(published_part, language=language, now=now) if published_part.strip() else None
    modified = parse_dateline(updated_part, language=language, now=now) if updated_part.strip() else None
    add_witness(meta.published_witnesses, source, published)
    add_witness(meta.updated_witnesses, source, modified)
    return published is not None or modified is not None


def read_url_date(meta: Metadata, url: str | None) -> None:
    """Add the date a URL's path holds ("/2022/01/20/"): a witness of the day only."""
    if not url:
        return
    match = URL_DATE.search(split_url(url).path)
    if match:
        year, month, day = match.groups()
        add_witness(meta.published_witnesses, "url", parse_machine_date(f"{year}-{month}-{day}"))


def read_hints(meta: Metadata, hints: DateHints | None) -> None:
    """Keep the crawl's hints; the listing's publication date is a witness like the page's own."""
    meta.hints = hints
    if hints is None or hints.listed is None or hints.listed.tzinfo is None or hints.listed_modified:
        return
    # A feed gives a full timestamp; one written without an offset was read as UTC, like any other.
    source = "listing:" + (hints.listed_by or "feed")
    add_witness(meta.published_witnesses, source, ParsedDate(hints.listed, has_time=True, has_offset=True))
