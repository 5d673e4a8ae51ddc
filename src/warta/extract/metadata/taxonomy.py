"""Read the section and tags a reader sees on the page when its metadata declares none.

The section is the last section in the breadcrumb trail (JSON-LD `BreadcrumbList`, then microdata or RDFa
trails, then elements named as breadcrumbs); the tags are the links marked `rel="tag"`, or else the links
of a list named as a tag list. Every cue is a name in markup that CMSs share, never a per-site rule, so it
holds on sites never seen before. `read_metadata` calls this after the declared sources, and `Metadata.set`
keeps a declared value over these.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from warta.extract.metadata.jsonld import ld_types
from warta.extract.metadata.record import Metadata
from warta.extract.urls import join_url, split_url

Node = Any  # selectolax.lexbor.LexborNode

# Breadcrumb entries that lead to the home page, not to a section: en, id, de, fr, es, it, nl, pt, pl,
# no/da, sv, ja. The site's own name and links to the site's root are caught without a list.
HOME_WORDS: tuple[str, ...] = (
    "home", "home page", "homepage", "front page", "start",
    "beranda", "halaman utama",
    "startseite",
    "accueil", "page d'accueil",
    "inicio", "portada", "página principal",
    "pagina iniziale", "prima pagina",
    "startpagina", "voorpagina",
    "início", "página inicial",
    "strona główna",
    "forside", "hjem", "startside",
    "hem", "startsida", "förstasidan",
    "トップ", "ホーム",
)  # fmt: skip
# Entries that name the kind of page rather than a section ("Home > Article > Headline").
PAGE_KIND_WORDS: tuple[str, ...] = ("article", "articles", "artikel", "story", "stories", "post", "posts", "記事")
# A root path with an index file is the home page too ("https://www1.wdr.de/index.html").
INDEX_PAGES = re.compile(r"/(?:index|default|home)(?:\.[a-z]{2,5})?$", re.IGNORECASE)

# Microdata and RDFa trails: the markup says what they are.
MARKED_BREADCRUMB = "[itemtype*=BreadcrumbList i], [typeof*=BreadcrumbList i]"
# Elements whose class, id or label says breadcrumb; "crumb" covers "breadcrumbs" and "crumbtrail", and the
# French "fil d'Ariane" is often the class. Labels are read in the site's language.
BREADCRUMB_CLASS_WORDS: tuple[str, ...] = ("crumb", "ariane")
BREADCRUMB_LABEL_WORDS: tuple[str, ...] = (
    "crumb", "brotkr", "ariane", "migas", "briciole", "kruimel", "okruszk", "brødsmule", "brödsmul", "パンくず",
)  # fmt: skip
NAMED_BREADCRUMB = ", ".join(
    [f"[class*={w} i], [id*={w} i]" for w in BREADCRUMB_CLASS_WORDS]
    + [f"[aria-label*='{w}' i]" for w in BREADCRUMB_LABEL_WORDS]
)
BREADCRUMB_ENTRIES = "[itemprop=itemListElement], [property=itemListElement]"
# Containers tried per kind: the first trail that names a section wins, the rest belong to teasers.
MAX_TRAILS = 6
# A "breadcrumb" with more entries than this is a menu of sections, not the way to this page.
MAX_TRAIL_ENTRIES = 8
# Section names are short; a longer entry is the headline, or a teaser's.
MAX_SECTION_CHARS = 50
# An entry that begins the headline, or that the headline begins, is the article itself once it is this long
# (squashed characters): trails shorten headlines ("Nach Kalifat-Rufen in Hamburg: Sind wir zu …") and
# titles carry a suffix ("Headline | Sport").
MIN_HEADLINE_PREFIX = 20
# Separators printed inside the entries themselves ("Politik ›").
CRUMB_SEPARATORS = " \t\n>›»/|·•→:"

# Links of the tag list that WordPress and many CMSs mark; "category tag" links are the post's categories,
# printed on every teaser of a river too, so they are not its tags.
REL_TAG = "a[href][rel~=tag i]:not([rel~=category i])"
# Candidates for a named tag list; substrings are broad ("stage", "instagram", "tagline" hold "tag"), so each
# match is then read word by word.
TAG_CONTAINER = ", ".join(f"[class*={w} i], [id*={w} i]" for w in ("tag", "keyword", "topic", "schlagw", "stichw"))
MAX_TAG_CONTAINERS = 300
# Words of a class or id ("post-tags", "articleTags", "entry-footer__tags") that name a list of tags; words
# run together count too, so "tag-list" and "keywordList" are "taglist" and "keywordlist" (but "topic" in
# "more-topic__items list-unstyled" meets "list" only in another class).
TAG_LIST_WORDS = frozenset(
    {"tags", "taglist", "hashtags", "keywords", "keywordlist", "topics", "topiclist", "schlagworte",
     "schlagwoerter", "stichworte", "etiquetas", "etichette", "tagi", "trefwoorden"}
)  # fmt: skip
# A tag-like list inside these is the site's: trending topics in the masthead, a tag cloud in the sidebar,
# topic menus in the footer. Inside an <article> they are the article's own (its footer holds its tags);
# around an <article> they make it a teaser.
SITE_FURNITURE_TAGS = frozenset({"nav", "aside"})
SITE_FURNITURE_WORDS = frozenset(
    {"nav", "navigation", "navbar", "menu", "sidebar", "widget", "dropdown", "cloud",
     "trending", "popular", "today", "hot", "latest"}  # "today-topics": the day's stories, not this one's
)  # fmt: skip
PAGE_EDGE_TAGS = frozenset({"header", "footer"})
PAGE_EDGE_WORDS = frozenset({"header", "footer", "masthead"})
MAX_ANCESTORS = 40
MAX_TAGS = 30
# Tags are names and short phrases; a longer link text is a teaser's headline or a call to action. A list
# whose links are mostly that long is a list of stories, not of tags.
MAX_TAG_CHARS = 60
MAX_TAG_WORDS = 6
# Links in tag lists that label or close the list rather than name a tag.
TAG_LIST_LABELS = frozenset(
    {"tags", "topics", "keywords", "all topics", "more topics", "themen", "alle themen", "mehr themen",
     "schlagworte", "stichworte", "mehr erfahren", "learn more", "read more", "sujets", "tous les sujets",
     "temas", "etiquetas", "argomenti", "tematy", "onderwerpen", "emner", "ämnen", "topik", "tag"}
)  # fmt: skip
# Marks printed around tags: "#Transgender", "Keir Starmer," in a comma-separated run.
TAG_DECORATION = " #,;|·•"

_HOME = frozenset(HOME_WORDS)
_PAGE_KINDS = frozenset(PAGE_KIND_WORDS)
_WS = re.compile(r"\s+")
# Words of a class or id: split at punctuation and at camelCase humps.
_CLASS_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(frozen=True, slots=True)
class Crumb:
    """One entry of a breadcrumb trail: its text and the page it links to, if any."""

    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class _Page:
    """What a trail's entries are compared with: the page itself, its headline and its site."""

    keys: frozenset[str]
    headlines: tuple[str, ...]
    site_names: frozenset[str]


def read_taxonomy(meta: Metadata, tree: Node, ld_items: Sequence[dict[str, Any]], url: str | None) -> None:
    """Set the section from the breadcrumb trail and the tags from tag links, unless the page declared them.

    `ld_items` are the page's JSON-LD nodes as `read_metadata` already parsed them.
    """
    if meta.section is None:
        page = _page(meta, url)
        for trail, source in _trails(tree, ld_items, url):
            section = _section(trail, page)
            if section is not None:
                meta.set("section", section, source)
                break
    if not meta.tags:
        found = _tags(tree)
        if found is not None:
            meta.set("tags", found[0], found[1])


def _page(meta: Metadata, url: str | None) -> _Page:
    keys = {_page_key(u) for u in (url, meta.canonical_url) if u}
    headlines = [text for _source, text in meta.title_candidates]
    if meta.h1:
        headlines.append(meta.h1)
    host = (split_url(url).hostname or "").lower() if url else ""
    host = host.removeprefix("www.")
    labels = host.split(".")
    site_names = {_squash(meta.site_name or ""), _squash(host)}
    if len(labels) >= 2:
        site_names.add(_squash(labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2]))  # bbc.co.uk
    site_names.discard("")
    return _Page(frozenset(keys), tuple(_squash(h) for h in headlines if h), frozenset(site_names))


def _trails(tree: Node, ld_items: Sequence[dict[str, Any]], url: str | None) -> Iterator[tuple[list[Crumb], str]]:
    """The page's breadcrumb trails, most trusted kind first; DOM queries run only when the earlier fail."""
    for item in ld_items:
        if "breadcrumblist" in ld_types(item):
            yield _ld_trail(item, url), "json-ld:breadcrumb"
        nested = item.get("breadcrumb")  # WebPage.breadcrumb, not flattened with @graph
        if isinstance(nested, dict) and "itemListElement" in nested:
            yield _ld_trail(nested, url), "json-ld:breadcrumb"
    for node in tree.css(MARKED_BREADCRUMB)[:MAX_TRAILS]:
        yield _dom_trail(node, url), "microdata:breadcrumb"
    tried: set[int] = set()
    for node in tree.css(NAMED_BREADCRUMB)[: MAX_TRAILS * 4]:
        # A match on one entry ("li.breadcrumb-item") stands for the list that holds it.
        container = node.parent if node.tag in ("li", "a", "span") and node.parent is not None else node
        if container.mem_id in tried:
            continue
        tried.add(container.mem_id)
        yield _dom_trail(container, url), "dom:breadcrumb"
        if len(tried) >= MAX_TRAILS:
            return


def _ld_trail(item: dict[str, Any], url: str | None) -> list[Crumb]:
    elements = item.get("itemListElement")
    entries = [e for e in (elements if isinstance(elements, list) else [elements]) if isinstance(e, dict)]
    ordered = sorted(enumerate(entries), key=lambda pair: _position(pair[1], pair[0]))
    trail = []
    for _index, entry in ordered:
        inner = entry.get("item")
        name = entry.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        link = inner.get("@id") or inner.get("url") if isinstance(inner, dict) else inner
        text = _clean(html.unescape(name)) if isinstance(name, str) else None  # "My&#x20;Europe"
        if text:
            trail.append(Crumb(text, join_url(url, link) if isinstance(link, str) and link else None))
    return trail


def _position(entry: dict[str, Any], index: int) -> int:
    try:
        return int(entry.get("position", index))
    except (TypeError, ValueError, OverflowError):  # OverflowError: a position of 1e999 parses as infinity
        return index


def _dom_trail(container: Node, url: str | None) -> list[Crumb]:
    entries = container.css(BREADCRUMB_ENTRIES) or container.css("li") or container.css("a[href]")
    trail = []
    for entry in entries[: MAX_TRAIL_ENTRIES + 1]:
        anchor = entry if entry.tag == "a" else entry.css_first("a[href]")
        named = entry.css_first("[itemprop=name], [property=name]")
        # An entry's own link text: a crumb with a dropdown of sibling sections holds their names too.
        source = named if named is not None else anchor if anchor is not None else entry
        raw = source.attributes.get("content") or source.text(deep=True, separator=" ")
        text = (_clean(raw) or "").strip(CRUMB_SEPARATORS)
        href = (anchor.attributes.get("href") or "").strip() if anchor is not None else ""
        if text:
            link = join_url(url, href) if href and not href.startswith(("#", "javascript:")) else None
            trail.append(Crumb(text, link))
    return trail


def _section(trail: list[Crumb], page: _Page) -> str | None:
    """The last entry of the trail that is neither the home page nor the article itself."""
    if len(trail) > MAX_TRAIL_ENTRIES:
        return None
    # The trail's last entry without a link, after linked ones, is the page being read.
    unlinked_end = len(trail) >= 2 and trail[-1].url is None and any(c.url for c in trail[:-1])
    sections = [
        crumb.name
        for index, crumb in enumerate(trail)
        if not (unlinked_end and index == len(trail) - 1) and not _is_article(crumb, page) and not _is_home(crumb, page)
    ]
    return sections[-1] if sections else None


def _is_article(crumb: Crumb, page: _Page) -> bool:
    if len(crumb.name) > MAX_SECTION_CHARS or (crumb.url is not None and _page_key(crumb.url) in page.keys):
        return True
    name = _squash(crumb.name)
    for headline in page.headlines:
        if name == headline:
            return True
        if len(name) >= MIN_HEADLINE_PREFIX and (headline.startswith(name) or name.startswith(headline)):
            return True
    return False


def _is_home(crumb: Crumb, page: _Page) -> bool:
    folded = crumb.name.casefold()
    if folded in _HOME or folded in _PAGE_KINDS:
        return True
    if _squash(folded.removeprefix("www.")) in page.site_names:  # "derStandard.at", "BILD", "www.focus.de"
        return True
    if crumb.url is None:
        return False
    path = INDEX_PAGES.sub("", split_url(crumb.url).path).rstrip("/")
    return not path


def _page_key(url: str) -> str:
    parts = split_url(url)
    return (parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/")


def _tags(tree: Node) -> tuple[list[str], str] | None:
    """The article's tags from its tag links, and the kind of cue that gave them."""
    tags = _link_texts(a for a in tree.css(REL_TAG)[: MAX_TAGS * 2] if not _in_site_furniture(a))
    if tags:
        return tags, "dom:rel-tag"
    for node in tree.css(TAG_CONTAINER)[:MAX_TAG_CONTAINERS]:
        if node.tag == "a" or not _names_tag_list(node) or _in_site_furniture(node):
            continue
        tags = _link_texts(node.css("a[href]"))
        if tags:
            return tags, "dom:tag-list"
    return None


def _names_tag_list(node: Node) -> bool:
    attrs = node.attributes
    return bool(_class_words(attrs.get("class"), attrs.get("id")) & TAG_LIST_WORDS)


def _in_site_furniture(node: Node) -> bool:
    """Whether the node sits in the site's navigation, sidebar, masthead or page footer.

    Inside an <article> anything goes (its own header, footer or nav holds its tags); an <article> inside
    furniture is a teaser.
    """
    in_article = False
    furniture = edge = False
    ancestor = node
    for _ in range(MAX_ANCESTORS):
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        if ancestor.tag == "article":
            in_article, furniture, edge = True, False, False
        else:
            attrs = ancestor.attributes
            words = _class_words(attrs.get("class"), attrs.get("id"))
            furniture = furniture or ancestor.tag in SITE_FURNITURE_TAGS or bool(words & SITE_FURNITURE_WORDS)
            edge = edge or ancestor.tag in PAGE_EDGE_TAGS or bool(words & PAGE_EDGE_WORDS)
            if in_article and (furniture or edge):
                return True
        ancestor = ancestor.parent
    return furniture or edge


def _link_texts(anchors: Iterable[Node]) -> list[str]:
    """The tags the links name, or none when most of the links are too long to be tags."""
    tags: list[str] = []
    seen: set[str] = set()
    long = 0
    for anchor in anchors:
        if (anchor.attributes.get("href") or "").startswith(("#", "javascript:")):
            continue  # "skip to the next section" and other in-page links
        text = (_anchor_text(anchor) or "").strip(TAG_DECORATION)
        if not text or text.endswith(":") or text.rstrip(".…").casefold() in TAG_LIST_LABELS:
            continue  # "Themenseiten:", "Mehr erfahren."
        if len(text) > MAX_TAG_CHARS or sum(any(ch.isalnum() for ch in w) for w in text.split()) > MAX_TAG_WORDS:
            long += 1
            continue
        if text.casefold() not in seen:
            seen.add(text.casefold())
            tags.append(text)
        if len(tags) >= MAX_TAGS:
            break
    return tags if long <= len(tags) else []


def _anchor_text(anchor: Node) -> str | None:
    # Tag pages print how many stories each tag has ("Oberfranken <span>12204</span>"); the count is not
    # part of the tag.
    parts = [_clean(child.text(deep=True, separator=" ")) for child in anchor.iter(include_text=True)]
    words = [part for part in parts if part]
    named = [part for part in words if not part.isdigit()]
    return _clean(" ".join(named or words))


def _class_words(*values: str | None) -> set[str]:
    """The words of class and id values, with each pair that runs together in one name ("tag-list")."""
    words: set[str] = set()
    for value in values:
        for name in (value or "").split():
            parts = [word.lower() for word in _CLASS_WORD.findall(name)]
            words.update(parts)
            words.update(a + b for a, b in pairwise(parts))
    return words


def _clean(value: str | None) -> str | None:
    text = _WS.sub(" ", value or "").strip()
    return text or None


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())
