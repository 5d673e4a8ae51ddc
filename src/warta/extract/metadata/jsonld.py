"""Read what the page declares in JSON-LD: the article node's headline, dates, authors, section and more.

Pages give several nodes (a `@graph`, a list, a `mainEntity`); every node with a `@type` is read. Article
nodes are the strongest witnesses; a WebPage node speaks only when no article node did, and other nodes
(a forum thread, a recipe, the publisher) add only what they can say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from warta.extract.metadata.author_candidates import add_as_written, unique_people
from warta.extract.metadata.date_witnesses import add_witness, parse_declared
from warta.extract.metadata.record import Metadata, clean, keywords
from warta.extract.people import agency, handle, people_in
from warta.extract.urls import web_url
from warta.models import Access, Person

Node = Any  # selectolax.lexbor.LexborNode

# JSON-LD @type values that describe an article (schema.org Article and its subtypes in use on news sites).
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
        "techarticle", "scholarlyarticle", "report", "webpage", "medicalwebpage", "creativework",
    }
)  # fmt: skip
# Types that are pages rather than articles: used only when no article type is present.
PAGE_TYPES = frozenset({"webpage", "medicalwebpage", "creativework"})
# Author @types that are organisations: these are publishers or desks, never people.
ORGANIZATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "brand"})

# An organisation named as the author is a short name ("Redaktion hessenschau.de"), not a description.
MAX_ORGANIZATION_CHARS = 80


def json_ld_items(tree: Node) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node with a `@type` the page holds, in page order, those of a `@graph` flattened."""
    for script in tree.css("script[type*='ld+json' i]"):
        raw = script.text(deep=True).strip()
        if not raw:
            continue
        data = _loads_lenient(raw)
        yield from _flatten_ld(data)


def _loads_lenient(raw: str) -> Any:
    # Pages wrap JSON-LD in CDATA or HTML comments and leave raw newlines inside strings; strict=False and
    # a trim of the wrappers recover nearly all of them without a hand-written parser.
    text = raw.strip()
    for prefix, suffix in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    try:
        return json.loads(text, strict=False)
    except RecursionError:
        # Nested deeper than the interpreter's recursion limit (json's C decoder counts its depth against
        # it): no metadata sits a thousand levels down, so the block says nothing rather than failing the page.
        return None
    except ValueError:
        text = re.sub(r",\s*([}\]])", r"\1", text)
        try:
            return json.loads(text, strict=False)
        except (ValueError, RecursionError):
            return None


def _flatten_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item, depth + 1)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _flatten_ld(graph, depth + 1)
        if "@type" in data:
            yield data
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _flatten_ld(main, depth + 1)


def ld_types(item: dict[str, Any]) -> set[str]:
    """The node's `@type` values, lower-cased, without a vocabulary prefix ("https://schema.org/NewsArticle")."""
    raw = item.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def read_json_ld(meta: Metadata, item: dict[str, Any], url: str | None) -> None:
    """Add what one node says of the page: everything for an article node, less for others."""
    types = ld_types(item)
    meta.declared_types.update(types)
    if not types & ARTICLE_TYPES:
        if types & {"newsmediaorganization", "organization", "website"}:
            meta.set("site_name", clean(item.get("name")), "json-ld:" + "/".join(sorted(types)))
        elif item.get("author"):
            # A forum thread, a question, a recipe or a review: its author is the page's.
            people, declared = _ld_people(item.get("author"), url, logins=True)
            meta.author_extras.append(("json-ld:other", people, declared))
        return
    source = "json-ld"
    is_page = not (types - PAGE_TYPES)
    if is_page:
        # A WebPage node is a weaker witness than an Article node; let article nodes speak first.
        source = "json-ld:webpage"
        if any(p.startswith("json-ld") and "webpage" not in p for p in meta.provenance.values()):
            return
    else:
        meta.is_article = True
    headline = clean(item.get("headline")) or (None if is_page else clean(item.get("name")))
    if headline:
        meta.title_candidates.append((source, headline))
    add_witness(meta.published_witnesses, source, parse_declared(_first_str(item.get("datePublished"))))
    add_witness(meta.updated_witnesses, source, parse_declared(_first_str(item.get("dateModified"))))
    if not is_page:
        people, declared = _ld_people(item.get("author"), url)
        meta.author_candidates.append((source, people, declared))
        meta.author_extras.append(("json-ld:organization", _ld_organizations(item.get("author")), False))
        add_as_written(meta, "json-ld:as-written", _ld_names(item.get("author")))
        _ld_agencies(meta, item.get("author"))
        meta.set("section", clean(_first_str(item.get("articleSection"))), source)
        meta.set("tags", keywords(item.get("keywords")), source)
        body = item.get("articleBody")
        meta.set("article_body", body.strip() if isinstance(body, str) else None, source)
        free = item.get("isAccessibleForFree")
        if free is not None:
            paywalled = str(free).lower() in ("false", "0", "no")
            meta.set("access", Access.PAYWALLED if paywalled else Access.FREE, source)
    meta.set("description", clean(item.get("description")), source)
    meta.set("image", _ld_image(item.get("image"), url), source)
    meta.set("language", clean(_first_str(item.get("inLanguage"))), source)
    publisher = item.get("publisher")
    if isinstance(publisher, dict):
        meta.set("site_name", clean(publisher.get("name")), source + ":publisher")


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None


def _ld_image(value: Any, url: str | None) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return web_url(url, value) if isinstance(value, str) else None


def _ld_people(value: Any, url: str | None, logins: bool = False) -> tuple[list[Person], bool]:
    """The people of a JSON-LD author value, and whether every one was declared a Person.

    With `logins`, a name that reads as no person's is kept as a login ("delta201"): forum posts and
    questions are signed by their members' handles.
    """
    values = value if isinstance(value, list) else [value]
    people: list[Person] = []
    declared = True
    for entry in values:
        if isinstance(entry, str):
            people.extend(people_in(entry))
            declared = False
        elif isinstance(entry, dict):
            if ld_types(entry) & ORGANIZATION_TYPES:
                continue
            declared = declared and "person" in ld_types(entry)
            name = clean(_first_str(entry.get("name")))
            if not name:
                continue
            profile = entry.get("url") or entry.get("sameAs")
            profile = _first_str(profile) if isinstance(profile, list) else profile
            link = web_url(url, profile) if isinstance(profile, str) else None
            found = people_in(name, url=link)
            login = handle(name) if logins and not found else None
            people.extend(found or ([login] if login is not None else []))
    return unique_people(people), declared and bool(people)


def _ld_names(value: Any) -> list[str]:
    """The names of a JSON-LD author value as written, people and organisations alike."""
    names = []
    for entry in value if isinstance(value, list) else [value]:
        name = entry if isinstance(entry, str) else _first_str(entry.get("name")) if isinstance(entry, dict) else None
        if name:
            names.append(name)
    return names


def _ld_organizations(value: Any) -> list[Person]:
    """The organisations a JSON-LD author value names ("Redaktion hessenschau.de"), named as they are."""
    found = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and ld_types(entry) & ORGANIZATION_TYPES:
            name = clean(_first_str(entry.get("name")))
            if name and len(name) <= MAX_ORGANIZATION_CHARS:
                found.append(Person(name))
    return unique_people(found)


def _ld_agencies(meta: Metadata, value: Any) -> None:
    for entry in value if isinstance(value, list) else [value]:
        name = _first_str(entry) if isinstance(entry, dict | str) else None
        found = agency(name) if name else None
        if found and found not in meta.sources:
            meta.sources.append(found)
