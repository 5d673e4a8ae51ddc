"""Read the fields around the body from what the page declares: JSON-LD, OpenGraph, meta tags, microdata.

Runs on the unpruned tree (bylines and dates often sit in the furniture that pruning removes). Each field
records the source it came from; when several sources give a value, the order of the candidate lists below
is the order of trust.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from warta.extract.datelines import parse_dateline
from warta.extract.dates import ParsedDate, parse_machine_date
from warta.extract.language import primary_subtag, resolve_language
from warta.extract.people import (
    agency,
    as_written,
    clean_name,
    handle,
    opens_with_label,
    people_in,
    tail_byline,
    trailing_role,
)
from warta.extract.taxonomy import read_taxonomy
from warta.extract.timestamps import Choice, DateWitness, place_in_zone, reconcile
from warta.extract.urls import site_label, web_url
from warta.extract.zones import (
    COUNTRY_ZONES,
    FROM_LISTING,
    FROM_PAGE,
    FROM_PUBLISHER,
    Zone,
    assumed_zone,
    country_code,
    fixed_zone,
    make_zone,
    printed_offsets,
    same_minute,
    utc,
)
from warta.models import Access, DateHints, Person

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

# Meta names and properties per field, most trusted first.
# The headings that may hold the headline, with how many of each are read: sites put the site name or a
# section in the first <h1>, the headline in the second, or the headline in an <h2> under a kicker.
HEADING_CANDIDATES: tuple[tuple[str, int], ...] = (("h1", 3), ("h2", 2))
# A heading longer than this is a paragraph someone styled as a heading.
MAX_HEADING_CHARS = 300
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
# Fields that name something short; a declared value longer than this is a CMS filling in the wrong text.
SHORT_FIELDS: dict[str, int] = {"section": 100, "site_name": 200, "language": 35}
SECTION_META: tuple[str, ...] = ("article:section", "section", "parsely-section", "category")
TAG_META: tuple[str, ...] = ("article:tag", "news_keywords", "keywords", "parsely-tags")
SITE_META: tuple[str, ...] = ("og:site_name", "application-name", "twitter:site", "publisher")
DESCRIPTION_META: tuple[str, ...] = ("og:description", "description", "twitter:description")
IMAGE_META: tuple[str, ...] = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
LANGUAGE_META: tuple[str, ...] = ("og:locale", "content-language", "language", "dc.language")

# Elements that print the article's date for readers; read before pruning removes them. Only the first few
# that hold a date count: further down the page they belong to related articles and comments.
DATELINE_SELECTOR = (
    "time, [class*=date i], [class*=time i], [class*=publish i], [class*=posted i], [class*=dateline i], [id*=date i]"
)
MAX_DATELINE_WITNESSES = 12
# Date and author marks looked at, in page order: the article's come first, the rest are rivers and threads.
MAX_DATELINE_MARKS = 30
MAX_BYLINE_MARKS = 40
MAX_DATELINE_CHARS = 160
# Many sites print the date in a plain <span> or <p>: the page's text lines from just above the headline on
# are read too, the first few that are short and hold a date.
MAX_TEXT_DATELINES = 4
MAX_TEXT_DATELINE_CHARS = 60
LINES_ABOVE_HEADLINE = 30  # raw lines, blank ones included
# Characters of visible text kept to name the language of a page that declares none (only needed, and only
# read, when a time lacks its zone).
TEXT_SAMPLE_CHARS = 3000
MIN_SAMPLE_LINE = 60  # characters: a sentence, not a menu entry
MAX_TEXT_DATELINE_WINDOW = 20_000  # characters of text from there on
# A byline printed as plain text ("By Jane Doe") is a short labelled line among the first ones read there.
MAX_TEXT_BYLINE_LINES = 40
MAX_TEXT_BYLINE_CHARS = 80
# The lines around the headline kept for the author chooser (raw lines, blank ones included), and the
# longest kept: a byline with a date and a job title, not a paragraph.
MAX_BYLINE_WINDOW_LINES = 120
# A label printed alone on its line ("Autor", "By", "Auteur(s) :"), its names on the next.
MAX_BARE_LABEL_CHARS = 20
MAX_BYLINE_WINDOW_CHARS = 200
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A dateline that opens the lead paragraph, press-release and wire style: "27.1.2022 - Bei der ...",
# "BERLIN, 3. März 2024 – Die ...", "01.02.2022 „Der Arbeitsmarkt ...". Only its opening is read.
_LEAD_DATELINE = re.compile(r"^(?P<dateline>[^\n]{6,48}?\d)\s*(?:[-–—|:]\s|[„“\"«])")
# A label in a dateline that turns what follows into the updated time ("Published ... Last updated ...").
UPDATED_LABEL = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|diperbarui|pembaruan|aktualisiert|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano|oppdatert|uppdaterad|opdateret)\b",
    re.IGNORECASE,
)
# Labels before a publication date, which bylines print beside the names.
DATE_LABEL = re.compile(
    r"(?:stand|published|posted|veröffentlicht|erschienen|diterbitkan|dipublikasikan|publié|publicado|pubblicato)"
    r"\b",
    re.IGNORECASE,
)
# Dates in URL paths: /2022/01/20/, /20220120/, 2022-01-20.
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?!\d)")

# Visible bylines, read before pruning removes them: author marks in markup, and links to author pages.
BYLINE_SELECTOR = (
    "[rel=author], [itemprop=author], [class*=author i], [class*=byline i], [id*=author i], "
    "a[href*='/author/' i], a[href*='/authors/' i], a[href*='/penulis/' i], a[href*='/reporter/' i], "
    "a[href*='/wartawan/' i], a[href*='/autor/' i], a[href*='/auteur/' i]"
)
MAX_BYLINE_CHARS = 160
MAX_AUTHORS = 8
# Author marks past the byline block read as candidates of their own: an author box under the article, a
# second byline template; further ones are rivers and threads.
MAX_LATER_MARKS = 2
# An organisation named as the author is a short name ("Redaktion hessenschau.de"), not a description.
MAX_ORGANIZATION_CHARS = 80
# A Twitter card label saying its data is the writer ("Written by", "Interview by", "Autor").
WRITTEN_BY_LABEL = re.compile(
    r"\b(?:written|interview|words|by|autor|autorin|author|penulis|verfasst|geschrieben|écrit|escrito)\b", re.IGNORECASE
)
# Where forums and Q&A sites name a post's author for scripts rather than readers: the first of these is
# the thread starter's (XenForo's data-author, Stack Exchange's data-author-username, phpBB's poster name).
AUTHOR_DATA_ATTRIBUTES: tuple[str, ...] = ("data-author", "data-author-username", "data-poster-name", "data-username")
# A microdata Person's name: the author's where the page marks no author property.
MICRODATA_PERSON_NAME = "[itemtype*='schema.org/Person' i] [itemprop=name]"
# An author field in script data as apps hydrate it: a string value under one of these keys. JSON-LD is read
# on its own; this finds the Next.js and CMS state objects.
SCRIPT_AUTHOR = re.compile(r'"(?:author|authors|authorName|author_name|postedBy|byline)"\s*:\s*"([^"\\]{3,80})"')
# Forum software marks a member's name with this class; the first on a thread page is its starter's.
USERNAME_SELECTOR = ".username, .user-name, .p-author, [itemprop=author] [itemprop=name]"
# Bylines inside these belong to comments and reader posts, not to the article.
NOT_BYLINE_CONTEXT = re.compile(r"comment|reply|respon|discussion|related", re.IGNORECASE)
NOT_BYLINE_DEPTH = 8

_WS = re.compile(r"\s+")


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", value).strip()
    return text or None


@dataclass(slots=True)
class Metadata:
    """What the page declares about itself, with the source of each field."""

    title: str | None = None
    title_candidates: list[tuple[str, str]] = field(default_factory=list)
    h1: str | None = None
    # The first headings of the page as (tag and rank, text), "h1#0" first: title candidates for the
    # title scorer (see titles.py), read before pruning since headers and heroes hold many headlines.
    headings: list[tuple[str, str]] = field(default_factory=list)
    authors: list[Person] = field(default_factory=list)
    # People as each source names them, most trusted first; `_choose_authors` keeps the first that names a
    # person. The flag says the source declared them people (JSON-LD @type Person).
    author_candidates: list[tuple[str, list[Person], bool]] = field(default_factory=list)
    # More sources of names that only the learned chooser weighs (authors.py): forum usernames, organisation
    # authors, the meta tags after the first. Too often wrong for the rules' first-wins order, and often
    # right where the rules find nothing.
    author_extras: list[tuple[str, list[Person], bool]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    # Every statement of the dates the page makes, chosen among by timestamps.reconcile.
    published_witnesses: list[DateWitness] = field(default_factory=list)
    updated_witnesses: list[DateWitness] = field(default_factory=list)
    # What the crawl knew of the dates before the page was read (see DateHints), and the zones the page
    # prints beside its times: the evidence `zones` weighs to read times without an offset or stamped "Z".
    hints: DateHints | None = None
    printed_zones: Counter[timedelta] = field(default_factory=Counter)
    # The start of the visible text, for naming the language when the page declares none.
    text_sample: str = ""
    # The short lines of visible text around the headline, case-folded: where a reader sees the byline, so
    # the author chooser asks whether a candidate's names are printed there.
    byline_window: str = ""
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    article_body: str | None = None
    access: Access = Access.UNKNOWN
    is_article: bool = False
    # Every type the page gives itself: JSON-LD @type values and og:type, lower-cased.
    declared_types: set[str] = field(default_factory=set)
    provenance: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: Any, source: str) -> None:
        """Set a field unless an earlier, more trusted source already did."""
        if value in (None, "", []) or name in self.provenance:
            return
        if name in SHORT_FIELDS and isinstance(value, str) and len(value) > SHORT_FIELDS[name]:
            return  # a CMS that fills the section with the standfirst: not a section, try the next source
        setattr(self, name, value)
        self.provenance[name] = source


def read_metadata(tree: Node, url: str | None, now: datetime | None = None, hints: DateHints | None = None) -> Metadata:
    """Collect the page's declared metadata from the unpruned tree.

    `now` is the reference time for relative datelines ("2 jam lalu") and the latest plausible date; `hints`
    what the crawl knows of the page's dates. The dates and people are only gathered here; `settle` adds
    what the plain text prints, and chooses.
    """
    meta = Metadata()
    tags = _meta_tags(tree)
    ld_items = list(_json_ld_items(tree))
    for item in ld_items:
        _read_json_ld(meta, item, url)
    _read_meta_tags(meta, tags, url)
    _read_microdata(meta, tree)
    _read_dom(meta, tree, url)
    read_taxonomy(meta, tree, ld_items, url)  # after the declared sources, whose values `set` keeps
    _read_datelines(meta, tree, now)
    read_url_date(meta, url)
    read_hints(meta, hints)
    return meta


def read_hints(meta: Metadata, hints: DateHints | None) -> None:
    """Keep the crawl's hints; the listing's publication date is a witness like the page's own."""
    meta.hints = hints
    if hints is None or hints.listed is None or hints.listed.tzinfo is None or hints.listed_modified:
        return
    # A feed gives a full timestamp; one written without an offset was read as UTC, like any other.
    source = "listing:" + (hints.listed_by or "feed")
    _witness(meta.published_witnesses, source, ParsedDate(hints.listed, has_time=True, has_offset=True))


def settle(meta: Metadata, visible: Node | None, url: str | None, now: datetime | None = None) -> None:
    """Add the dates and the byline printed in the page's plain text, then choose the dates and the people.

    `visible` is the page body once scripts and other never-visible elements are gone (after
    `html.prune`): the text a reader sees, without the megabytes of script data heavy pages carry.
    """
    if visible is not None:
        _read_visible_text(meta, visible, now)
    choose(meta, url)


def choose(meta: Metadata, url: str | None) -> None:
    """Choose the published and updated dates among the witnesses gathered, and the people among the bylines."""
    _choose_dates(meta, url)
    _choose_authors(meta, url)


def _parse_declared(raw: str | None) -> ParsedDate | None:
    # Declared dates are meant to be ISO 8601, but CMSs also fill them with what they print ("Dec 03, 2025").
    return parse_machine_date(raw) or (parse_dateline(raw) if raw else None)


def _witness(witnesses: list[DateWitness], source: str, parsed: ParsedDate | None) -> None:
    if parsed is not None:
        witnesses.append(DateWitness(source, parsed))


def _meta_tags(tree: Node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        value = _clean(attrs.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), []).append(value)
    return found


def _json_ld_items(tree: Node) -> Iterator[dict[str, Any]]:
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
    except ValueError:
        text = re.sub(r",\s*([}\]])", r"\1", text)
        try:
            return json.loads(text, strict=False)
        except ValueError:
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


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _read_json_ld(meta: Metadata, item: dict[str, Any], url: str | None) -> None:
    types = _types(item)
    meta.declared_types.update(types)
    if not types & ARTICLE_TYPES:
        if types & {"newsmediaorganization", "organization", "website"}:
            meta.set("site_name", _clean(item.get("name")), "json-ld:" + "/".join(sorted(types)))
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
    headline = _clean(item.get("headline")) or (None if is_page else _clean(item.get("name")))
    if headline:
        meta.title_candidates.append((source, headline))
    _witness(meta.published_witnesses, source, _parse_declared(_first_str(item.get("datePublished"))))
    _witness(meta.updated_witnesses, source, _parse_declared(_first_str(item.get("dateModified"))))
    if not is_page:
        people, declared = _ld_people(item.get("author"), url)
        meta.author_candidates.append((source, people, declared))
        meta.author_extras.append(("json-ld:organization", _ld_organizations(item.get("author")), False))
        _add_as_written(meta, "json-ld:as-written", _ld_names(item.get("author")))
        _ld_agencies(meta, item.get("author"))
        meta.set("section", _clean(_first_str(item.get("articleSection"))), source)
        meta.set("tags", _keywords(item.get("keywords")), source)
        body = item.get("articleBody")
        meta.set("article_body", body.strip() if isinstance(body, str) else None, source)
        free = item.get("isAccessibleForFree")
        if free is not None:
            paywalled = str(free).lower() in ("false", "0", "no")
            meta.set("access", Access.PAYWALLED if paywalled else Access.FREE, source)
    meta.set("description", _clean(item.get("description")), source)
    meta.set("image", _ld_image(item.get("image"), url), source)
    meta.set("language", _clean(_first_str(item.get("inLanguage"))), source)
    publisher = item.get("publisher")
    if isinstance(publisher, dict):
        meta.set("site_name", _clean(publisher.get("name")), source + ":publisher")


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return value if isinstance(value, str) else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [v for v in value if isinstance(v, str)]
    else:
        return []
    out: list[str] = []
    for raw in items:
        tag = _clean(raw)
        if tag and tag not in out:
            out.append(tag)
    return out


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
            if _types(entry) & ORGANIZATION_TYPES:
                continue
            declared = declared and "person" in _types(entry)
            name = _clean(_first_str(entry.get("name")))
            if not name:
                continue
            profile = entry.get("url") or entry.get("sameAs")
            profile = _first_str(profile) if isinstance(profile, list) else profile
            link = web_url(url, profile) if isinstance(profile, str) else None
            found = people_in(name, url=link)
            login = handle(name) if logins and not found else None
            people.extend(found or ([login] if login is not None else []))
    return _unique(people), declared and bool(people)


def _ld_names(value: Any) -> list[str]:
    """The names of a JSON-LD author value as written, people and organisations alike."""
    names = []
    for entry in value if isinstance(value, list) else [value]:
        name = entry if isinstance(entry, str) else _first_str(entry.get("name")) if isinstance(entry, dict) else None
        if name:
            names.append(name)
    return names


def _add_as_written(meta: Metadata, source: str, values: list[str] | tuple[str, ...]) -> None:
    """The credits as printed, when reading them for people changes them: desks, publications, agencies
    ("Redaktion", "Staff Writer", "AFP/The Local"), which pages name as the author and people_in drops."""
    written = [Person(name) for value in values for name in as_written(value)]
    parsed = {" ".join(p.name.split()).casefold() for value in values for p in people_in(value)}
    if written and {p.name.casefold() for p in written} != parsed:
        meta.author_extras.append((source, _unique(written), False))


def _ld_organizations(value: Any) -> list[Person]:
    """The organisations a JSON-LD author value names ("Redaktion hessenschau.de"), named as they are."""
    found = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict) and _types(entry) & ORGANIZATION_TYPES:
            name = _clean(_first_str(entry.get("name")))
            if name and len(name) <= MAX_ORGANIZATION_CHARS:
                found.append(Person(name))
    return _unique(found)


def _ld_agencies(meta: Metadata, value: Any) -> None:
    for entry in value if isinstance(value, list) else [value]:
        name = _first_str(entry) if isinstance(entry, dict | str) else None
        found = agency(name) if name else None
        if found and found not in meta.sources:
            meta.sources.append(found)


def _unique(people: list[Person]) -> list[Person]:
    seen: set[str] = set()
    out = []
    for person in people:
        key = person.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(person)
    return out


def _first_meta(tags: dict[str, list[str]], names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        values = tags.get(name)
        if values:
            return name, values[0]
    return None


def _read_meta_tags(meta: Metadata, tags: dict[str, list[str]], url: str | None) -> None:
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
            parsed = next(filter(None, map(_parse_declared, tags.get(name, ()))), None)
            if parsed is not None:
                _witness(witnesses, "meta:" + name, parsed)
                break
    first = True
    for name in AUTHOR_META:
        _add_as_written(meta, "meta:as-written", tags.get(name, ())[:1])
        people = [p for value in tags.get(name, ()) for p in people_in(value)]
        if people:
            # The rules read the first tag that names someone; the chooser weighs every one.
            (meta.author_candidates if first else meta.author_extras).append(("meta:" + name, _unique(people), False))
            first = False
    for label, value in zip(tags.get("twitter:label1", ()), tags.get("twitter:data1", ()), strict=False):
        if WRITTEN_BY_LABEL.search(label):
            meta.author_extras.append(("meta:twitter:data", people_in(value), False))
            _add_as_written(meta, "meta:as-written", [value])
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
        values = [t for value in tags.get(name, ()) for t in _keywords(value)]
        if values:
            meta.set("tags", values, "meta:" + name)
            break
    if tags.get("og:url") and (canonical := web_url(url, tags["og:url"][0])):
        meta.set("canonical_url", canonical, "meta:og:url")


def _read_microdata(meta: Metadata, tree: Node) -> None:
    for names, witnesses in (
        (PUBLISHED_PROPERTIES, meta.published_witnesses),
        (UPDATED_PROPERTIES, meta.updated_witnesses),
    ):
        for prop in names:
            if _read_property_date(tree, prop, witnesses):
                break
    node = tree.css_first("[itemprop=headline]")
    if node is not None:
        headline = _clean(node.attributes.get("content") or node.text(deep=True))
        if headline:
            meta.title_candidates.append(("microdata:headline", headline))


# schema.org date properties, as microdata (`itemprop`) or RDFa (`property`, bare or with the "schema:"
# prefix Drupal writes) put them on any element. Creation is publication for a page that names no other.
PUBLISHED_PROPERTIES = ("datePublished", "dateCreated")
UPDATED_PROPERTIES = ("dateModified",)


def _read_property_date(tree: Node, prop: str, witnesses: list[DateWitness]) -> bool:
    selector = f"[itemprop={prop} i], [property={prop} i], [property='schema:{prop}' i]"
    for node in tree.css(selector):
        attrs = node.attributes
        raw = attrs.get("content") or attrs.get("datetime") or node.text(deep=True)
        parsed = _parse_declared(raw)
        if parsed is not None:
            _witness(witnesses, "microdata:" + prop, parsed)
            return True
    return False


# Elements whose text a reader never sees: CSS-in-JS frameworks put <style> inside headings, and the tree
# is not pruned yet when the headings are read.
_UNSHOWN = "style, script, noscript, template"


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


def _read_dom(meta: Metadata, tree: Node, url: str | None) -> None:
    link = tree.css_first("link[rel=canonical][href]")
    if link is not None:
        canonical = web_url(url, link.attributes.get("href"))
        if canonical:
            meta.canonical_url = canonical
            meta.provenance["canonical_url"] = "dom:link-canonical"
    html = tree.css_first("html")
    if html is not None:
        meta.set("language", _clean(html.attributes.get("lang")), "dom:html-lang")
    title = tree.css_first("title")
    if title is not None:
        text = _clean(title.text(deep=True))
        if text:
            meta.title_candidates.append(("dom:title", text))
    h1 = tree.css_first("h1")
    if h1 is not None:
        meta.h1 = _clean(_shown_text(h1))
    for tag, limit in HEADING_CANDIDATES:
        for rank, node in enumerate(tree.css(tag)[:limit]):
            text = _clean(_shown_text(node))
            if text and len(text) <= MAX_HEADING_CHARS:
                meta.headings.append((f"{tag}#{rank}", text))
    for node in tree.css("time[datetime]"):
        parsed = parse_machine_date(node.attributes.get("datetime"))
        if parsed is not None:
            _witness(meta.published_witnesses, "time:datetime", parsed)
            break
    byline = _read_bylines(tree, url)
    meta.author_candidates.append(("dom:byline", byline.people, False))
    meta.author_extras.append(("dom:byline-first", byline.first, False))
    _add_as_written(meta, "dom:byline-as-written", [byline.first_text] if byline.first_text else [])
    for people in byline.later:
        meta.author_extras.append(("dom:byline-later", people, False))
    _read_forum_authors(meta, tree)
    _read_microdata_person(meta, tree)
    _read_script_author(meta, tree)


def _read_microdata_person(meta: Metadata, tree: Node) -> None:
    """The first microdata Person's name (`<span itemscope itemtype=".../Person"><meta itemprop=name>`)."""
    node = tree.css_first(MICRODATA_PERSON_NAME)
    if node is None:
        return
    value = node.attributes.get("content") or node.text(deep=True, separator=" ")
    if value and len(value) <= MAX_BYLINE_CHARS:
        meta.author_extras.append(("microdata:person", people_in(value), False))


def _read_script_author(meta: Metadata, tree: Node) -> None:
    """An author field in the page's script data ("authors":"Alex Bozarjian"), as apps hydrate bylines."""
    for script in tree.css("script:not([src])"):
        text = script.text(deep=True)
        if '"author' not in text and '"postedBy' not in text and '"byline' not in text:
            continue
        match = SCRIPT_AUTHOR.search(text)
        if match:
            meta.author_extras.append(("script:author", people_in(match.group(1)), False))
            return


def _read_forum_authors(meta: Metadata, tree: Node) -> None:
    """The thread starter's name as forums and Q&A sites mark it: data attributes and username elements."""
    selector = ", ".join(f"[{name}]" for name in AUTHOR_DATA_ATTRIBUTES)
    node = tree.css_first(selector)
    if node is not None:
        value = next((node.attributes.get(name) for name in AUTHOR_DATA_ATTRIBUTES if node.attributes.get(name)), None)
        login = handle(value) if value else None
        if login is not None:
            meta.author_extras.append(("dom:data-author", [login], False))
    node = tree.css_first(USERNAME_SELECTOR)
    if node is not None:
        login = handle(node.attributes.get("content") or node.text(deep=True, separator=" "))
        if login is not None:
            meta.author_extras.append(("dom:username", [login], False))


def _read_bylines(tree: Node, url: str | None) -> Byline:
    """The people of the article's visible byline, those of its first mark alone, and that mark's text.

    That is the first author mark that names someone, with the marks beside it (co-authors printed side by
    side), outside comment threads and related-article boxes. The first mark alone is a candidate of its
    own for the chooser: the marks beside it are sometimes a reviewer's or a job title.
    """
    people: list[Person] = []
    first_mark: list[Person] = []
    first_text = ""
    later: list[list[Person]] = []
    block: Node | None = None
    matches = tree.css(BYLINE_SELECTOR)[:MAX_BYLINE_MARKS]
    # The innermost marks only: an author box around a name also holds the bio and the job title.
    matched = {node.mem_id for node in matches}
    wrappers: set[int] = set()
    for node in matches:
        ancestor = node.parent
        for _ in range(NOT_BYLINE_DEPTH):
            if ancestor is None:
                break
            if ancestor.mem_id in matched:
                wrappers.add(ancestor.mem_id)
            ancestor = ancestor.parent
    for node in matches:
        past = block is not None and not _within(node, block)
        if past and len(later) >= MAX_LATER_MARKS:
            break  # marks come in page order: past the byline block, the rest are elsewhere
        if node.mem_id in wrappers:
            continue
        text = node.text(deep=True, separator=" ")
        if len(text) > MAX_BYLINE_CHARS or _in_context(node, NOT_BYLINE_CONTEXT):
            continue
        anchor = node if node.tag == "a" else node.css_first("a[href]")
        href = anchor.attributes.get("href") if anchor is not None else None
        link = web_url(url, href) if href and not href.startswith("#") else None
        role = _label_before(node)
        found = people_in(text, role=role, url=link)
        if not found:
            # Co-authors in elements of their own, no separator printed between them ("<span>A B</span>
            # <span>C D</span>"): too many words for one name, so each element's line is read alone.
            parts = [part for part in node.text(deep=True, separator="\n").split("\n") if part.strip()]
            if 1 < len(parts) <= MAX_AUTHORS:
                # Date labels printed beside the names ("Stand", "Last updated") are not names.
                found = [
                    person
                    for part in parts
                    if not (UPDATED_LABEL.search(part) or DATE_LABEL.match(part.strip()))
                    for person in people_in(part, role=role)
                ]
        if not found:
            found = tail_byline(text)
        if past:
            if found and all(_key_of(found) != _key_of(seen) for seen in later):
                later.append(found)  # another byline further down: the chooser weighs it on its own
            continue
        if found and block is None:
            first_mark = found
            first_text = text
            # The byline block: the first enclosing element that is not itself an author mark, so that
            # co-authors printed in sibling marks come along.
            block = node.parent if node.parent is not None else node
            while block.parent is not None and block.mem_id in matched:
                block = block.parent
        people.extend(found)
    return Byline(_unique(people)[:MAX_AUTHORS], _unique(first_mark)[:MAX_AUTHORS], first_text, later)


def _key_of(people: list[Person]) -> frozenset[str]:
    return frozenset(person.name.casefold() for person in people)


@dataclass(slots=True)
class Byline:
    """What the page's author marks say: the byline block's people, its first mark's people and text, and
    the people of the next few marks that name someone outside the block."""

    people: list[Person]
    first: list[Person]
    first_text: str
    later: list[list[Person]]


def read_signature(meta: Metadata, container: Node, url: str | None) -> None:
    """A name set alone in bold as the article's first or last paragraph ("<p><strong>Mohloai
    Mpesi</strong></p>"), the way many papers sign their stories: the rules take it when no byline named
    anyone."""
    paragraphs = container.css("p")
    for paragraph in [*paragraphs[:SIGNATURE_PARAGRAPHS], *paragraphs[-SIGNATURE_PARAGRAPHS:]]:
        text = " ".join(paragraph.text(deep=True).split())
        bold = paragraph.css_first("strong, b")
        if not text or bold is None or " ".join(bold.text(deep=True).split()) != text:
            continue
        name = clean_name(text)
        words = name.split() if name else []
        if name and SIGNATURE_WORDS[0] <= len(words) <= SIGNATURE_WORDS[1] and all(w[:1].isupper() for w in words):
            person = Person(name)
            if meta.authors:
                # The rules keep the byline; the chooser may still weigh the signature against it.
                meta.author_extras.append(("dom:signature", [person], False))
                return
            meta.author_candidates.append(("dom:signature", [person], False))
            _choose_authors(meta, url)
            return


def _label_before(node: Node) -> str | None:
    """The role a label just before the mark gives ("Penulis: <a>Ade Marboen</a>")."""
    parent = node.parent
    if parent is None:
        return None
    context = parent.text(deep=True, separator=" ")
    own = node.text(deep=True, separator=" ").strip()
    if not own or len(context) > MAX_BYLINE_CHARS or own not in context:
        return None
    return trailing_role(context[: context.index(own)])


def _within(node: Node, block: Node) -> bool:
    ancestor = node
    for _ in range(NOT_BYLINE_DEPTH):
        if ancestor is None:
            return False
        if ancestor.mem_id == block.mem_id:
            return True
        ancestor = ancestor.parent
    return False


def _in_context(node: Node, pattern: re.Pattern[str]) -> bool:
    ancestor = node
    for _ in range(NOT_BYLINE_DEPTH):
        if ancestor is None or ancestor.tag in ("body", "article", "main"):
            return False
        attrs = ancestor.attributes
        if pattern.search(attrs.get("class") or "") or pattern.search(attrs.get("id") or ""):
            return True
        ancestor = ancestor.parent
    return False


# A signature: a bold paragraph of this many capitalised words among the first or last few paragraphs.
SIGNATURE_PARAGRAPHS = 2
SIGNATURE_WORDS = (2, 4)

# A name whose first word is the publisher's is one of its desks; shorter words are too often a given name.
MIN_PUBLISHER_WORD = 3


def publisher_keys(meta: Metadata, url: str | None) -> set[str]:
    """The publisher's names as `is_publisher` compares them: the site name and the domain's label."""
    publisher = {_squash(meta.site_name or ""), site_label(url) or ""}
    publisher.discard("")
    return publisher


def _choose_authors(meta: Metadata, url: str | None) -> None:
    """Keep the people of the most trusted source that names a person, not the publisher."""
    publisher = publisher_keys(meta, url)
    fallback: tuple[str, list[Person]] | None = None
    for source, people, declared in meta.author_candidates:
        kept = [p for p in people if not is_publisher(p.name, publisher)]
        if kept:
            meta.authors = kept
            meta.provenance["authors"] = source
            return
        if declared and people and fallback is None:
            fallback = (source, people)
    if fallback is not None:
        # The publisher declared a Person and no source names anyone else: "Rick Steves" on ricksteves.com.
        meta.authors = fallback[1]
        meta.provenance["authors"] = fallback[0]


def is_publisher(name: str, publisher: set[str]) -> bool:
    """The publisher, or one of its desks named after it ("MDR Thüringen", "BR24 Redaktion")."""
    first = _squash(name.split()[0]) if name.split() else ""
    return _squash(name) in publisher or (len(first) >= MIN_PUBLISHER_WORD and first in publisher)


def _squash(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _read_datelines(meta: Metadata, tree: Node, now: datetime | None) -> None:
    """Read the dates printed for readers, in page order, splitting "Published ... Updated ..." lines."""
    found = 0
    seen: set[str] = set()
    for node in tree.css(DATELINE_SELECTOR)[:MAX_DATELINE_MARKS]:
        text = _clean(node.text(deep=True))
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
    _witness(meta.published_witnesses, source, published)
    _witness(meta.updated_witnesses, source, modified)
    return published is not None or modified is not None


def _read_visible_text(meta: Metadata, body: Node, now: datetime | None) -> None:
    """Read dates and a byline printed in plain elements: short lines of the text around the headline."""
    text = body.text(deep=True, separator="\n")
    start = 0
    headline = body.css_first("h1")
    first_line = headline.text(deep=True, separator="\n").strip().split("\n")[0].strip() if headline else ""
    if first_line:
        start = max(0, text.find(first_line))
        for _ in range(LINES_ABOVE_HEADLINE):
            start = max(0, text.rfind("\n", 0, max(0, start - 1)))
    found = 0
    previous = ""
    byline: list[Person] = []
    next_line: list[Person] = []
    label_line = -2
    # A bounded window of the text, split and stripped in C; blank lines between elements are dropped, so
    # "the line before" is the previous piece of text.
    meta.printed_zones.update(printed_offsets(text))
    window = text[start : start + MAX_TEXT_DATELINE_WINDOW].split("\n")
    meta.text_sample = " ".join(line for line in map(str.strip, window) if len(line) >= MIN_SAMPLE_LINE)[
        :TEXT_SAMPLE_CHARS
    ]
    lines = list(filter(None, map(str.strip, window[:MAX_BYLINE_WINDOW_LINES])))
    meta.byline_window = "\n".join(line for line in lines if len(line) <= MAX_BYLINE_WINDOW_CHARS).casefold()
    for index, line in enumerate(filter(None, map(str.strip, window))):
        near = index < MAX_TEXT_BYLINE_LINES and len(line) <= MAX_TEXT_BYLINE_CHARS
        if not byline and near and opens_with_label(line):
            byline = people_in(line)  # "By Jane Doe" printed in a plain <p>
            if byline:
                _add_as_written(meta, "text:as-written", [line])
            elif len(line) <= MAX_BARE_LABEL_CHARS:
                label_line = index  # "Autor" or "By" alone: the name is on the next line
        elif not next_line and label_line == index - 1 and near:
            next_line = people_in(line)
            meta.author_extras.append(("text:after-label", next_line, False))
        if len(line) > MAX_TEXT_DATELINE_CHARS and (lead := _LEAD_DATELINE.match(line)) is not None:
            line = lead["dateline"]
        if len(line) <= MAX_TEXT_DATELINE_CHARS and _HAS_YEAR.search(line):
            # "Last Updated:" on its own line labels the date on the next.
            labelled = len(previous) <= MAX_TEXT_DATELINE_CHARS and UPDATED_LABEL.search(previous) is not None
            found += read_dateline(meta, line, "dateline:text", now, updated=labelled)
            if found >= MAX_TEXT_DATELINES:
                break
        previous = line
    meta.author_candidates.append(("text:byline", byline, False))


def read_url_date(meta: Metadata, url: str | None) -> None:
    if not url:
        return
    match = URL_DATE.search(urlsplit(url).path)
    if match:
        year, month, day = match.groups()
        _witness(meta.published_witnesses, "url", parse_machine_date(f"{year}-{month}-{day}"))


def _choose_dates(meta: Metadata, url: str | None) -> None:
    zones: _Zones | None = None
    for name, witnesses in (("published", meta.published_witnesses), ("updated", meta.updated_witnesses)):
        choice = reconcile(witnesses)
        if choice is None:
            continue
        if choice.date.has_time and (not choice.date.has_offset or utc(choice.date.value)):
            zones = zones or _Zones(meta, url)
            choice = zones.place(choice, witnesses)
        setattr(meta, name, choice.date)
        meta.provenance[name] = choice.source
        if choice.conflicts:
            meta.provenance[name + "_conflicts"] = "; ".join(choice.conflicts)
    if meta.published is None and meta.updated is not None:
        # A page that only says when it was last updated ("Updated on July 9, 2025") was published then at
        # the latest; readers and indexes take that date as the page's.
        meta.published = meta.updated
        meta.provenance["published"] = meta.provenance["updated"] + " (last update; no publication date given)"
    if meta.published is not None and meta.updated is not None and meta.updated.value < meta.published.value:
        # An "updated" time before publication is a template's or a related article's, not this one's.
        meta.updated = None
        meta.provenance.pop("updated", None)


class _Zones:
    """The zones a page's times may be read in, most weighty first (see `warta.extract.zones`)."""

    def __init__(self, meta: Metadata, url: str | None) -> None:
        self.page = _page_zone(meta)
        hints = meta.hints or DateHints()
        listed = hints.listed.utcoffset() if hints.listed is not None and hints.listed.tzinfo is not None else None
        self.listing = fixed_zone(listed, FROM_LISTING, hints.listed_by or "") if listed else None
        self.publisher = make_zone(hints.zone, FROM_PUBLISHER)
        self._meta, self._url = meta, url

    @cached_property
    def assumed(self) -> Zone | None:
        # Only worked out when no better zone is known: naming the language may run the detector.
        return assumed_zone(self._url, _language(self._meta, self._url))

    def place(self, choice: Choice, witnesses: list[DateWitness]) -> Choice:
        if not choice.date.has_offset and self.page is not None:
            # A time without a zone on a page that prints its zone: the page's, whatever else is known.
            return place_in_zone(choice, _by_trust(witnesses), self.page, self.page)
        home = self.listing or self.publisher or self.assumed
        return place_in_zone(choice, _by_trust(witnesses), self.page or home, home)


def _page_zone(meta: Metadata) -> Zone | None:
    """The offset the page prints beside its times or declares on its dates, the most frequent one."""
    counts = Counter(meta.printed_zones)
    for witness in (*meta.published_witnesses, *meta.updated_witnesses):
        parsed = witness.date
        if parsed.has_time and parsed.has_offset and not utc(parsed.value) and witness.kind != "listing":
            offset = parsed.value.utcoffset()
            if offset is not None:
                counts[offset] += 1
    if not counts:
        return None
    offset, _count = counts.most_common(1)[0]
    return fixed_zone(offset, FROM_PAGE)


def _language(meta: Metadata, url: str | None) -> str | None:
    declared = primary_subtag(meta.language)
    if country_code(url) in COUNTRY_ZONES or (declared is not None and declared != "en"):
        return declared  # the domain decides first; a declared language other than English is rarely wrong
    # No declaration, or "en", the default many themes leave on Indonesian pages (kompas.com's of 2016):
    # checked against the text, as for the article's language.
    return resolve_language(meta.language, meta.text_sample)[0] if meta.text_sample else declared


def _by_trust(witnesses: list[DateWitness]) -> list[DateWitness]:
    return sorted(witnesses, key=lambda witness: witness.trust)
