"""Read what the page declares in its `<meta>` tags: OpenGraph, Twitter cards, Dublin Core, CMS names.

Each field has its names, most trusted first; the first name present gives the value. Every title and
the author tags after the first are kept as candidates for the learned choosers.
"""

from __future__ import annotations

import re
from typing import Any

from warta.extract.metadata.author_candidates import add_as_written, unique_people
from warta.extract.metadata.date_witnesses import add_witness, parse_declared
from warta.extract.metadata.record import Metadata, clean, keywords
from warta.extract.people import people_in
from warta.extract.urls import web_url

Node = Any  # selectolax.lexbor.LexborNode

# Meta names and properties per field, most trusted first.
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title", "dc.title", "title", "sailthru.title")
PUBLISHED_META: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "content_publishdate",
    "og:pubdate",
    "article.published",
)
UPDATED_META: tuple[str, ...] = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "article.updated",
)
AUTHOR_META: tuple[str, ...] = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl")
SECTION_META: tuple[str, ...] = ("article:section", "section", "parsely-section", "category")
TAG_META: tuple[str, ...] = ("article:tag", "news_keywords", "keywords", "parsely-tags")
SITE_META: tuple[str, ...] = ("og:site_name", "application-name", "twitter:site", "publisher")
DESCRIPTION_META: tuple[str, ...] = ("og:description", "description", "twitter:description")
IMAGE_META: tuple[str, ...] = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
LANGUAGE_META: tuple[str, ...] = ("og:locale", "content-language", "language", "dc.language")
# A Twitter card label saying its data is the writer ("Written by", "Interview by", "Autor").
WRITTEN_BY_LABEL = re.compile(
    r"\b(?:written|interview|words|by|autor|autorin|author|penulis|verfasst|geschrieben|écrit|escrito)\b", re.IGNORECASE
)


def read_meta_tags(meta: Metadata, tree: Node, url: str | None) -> None:
    """Read the fields the meta tags give; a field already set by JSON-LD keeps its value."""
    tags = _meta_tags(tree)
    for name in TITLE_META:
        for value in tags.get(name, ()):
            meta.title_candidates.append(("meta:" + name, value))
    og_type = tags.get("og:type", [""])[0].lower()
    if og_type:
        meta.declared_types.add(og_type)
    if og_type == "article":
        meta.is_article = True
    for witnesses, names in ((meta.published_witnesses, PUBLISHED_META), (meta.updated_witnesses, UPDATED_META)):
        for name in names:
            parsed = next(filter(None, map(parse_declared, tags.get(name, ()))), None)
            if parsed is not None:
                add_witness(witnesses, "meta:" + name, parsed)
                break
    first = True
    for name in AUTHOR_META:
        add_as_written(meta, "meta:as-written", tags.get(name, ())[:1])
        people = [p for value in tags.get(name, ()) for p in people_in(value)]
        if people:
            # The rules read the first tag that names someone; the chooser weighs every one.
            (meta.author_candidates if first else meta.author_extras).append(
                ("meta:" + name, unique_people(people), False)
            )
            first = False
    for label, value in zip(tags.get("twitter:label1", ()), tags.get("twitter:data1", ()), strict=False):
        if WRITTEN_BY_LABEL.search(label):
            meta.author_extras.append(("meta:twitter:data", people_in(value), False))
            add_as_written(meta, "meta:as-written", [value])
    for field_name, names in (
        ("section", SECTION_META),
        ("site_name", SITE_META),
        ("description", DESCRIPTION_META),
        ("language", LANGUAGE_META),
    ):
        hit = _first_meta(tags, names)
        if hit:
            meta.set(field_name, hit[1], "meta:" + hit[0])
    hit = _first_meta(tags, IMAGE_META)
    if hit and (image := web_url(url, hit[1])):
        meta.set("image", image, "meta:" + hit[0])
    for name in TAG_META:
        values = [t for value in tags.get(name, ()) for t in keywords(value)]
        if values:
            meta.set("tags", values, "meta:" + name)
            break
    if tags.get("og:url") and (canonical := web_url(url, tags["og:url"][0])):
        meta.set("canonical_url", canonical, "meta:og:url")


def _meta_tags(tree: Node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        value = clean(attrs.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), []).append(value)
    return found


def _first_meta(tags: dict[str, list[str]], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        values = tags.get(name)
        if values:
            return name, values[0]
    return None
