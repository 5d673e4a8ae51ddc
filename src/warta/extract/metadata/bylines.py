"""Read the authors the page marks in its elements: the visible byline, forum posters, script data, signatures.

The marks are read on the unpruned tree, since bylines often sit in the furniture that pruning removes;
the signature is read in the body container once it is chosen. The byline block gives the rules'
candidate; its first mark alone, later marks, the forum's thread starter, a microdata Person and an author
in script data are candidates for the learned chooser only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from warta.extract.metadata.author_candidates import add_as_written, choose_authors, unique_people
from warta.extract.metadata.date_witnesses import UPDATED_LABEL
from warta.extract.metadata.record import Metadata
from warta.extract.people import clean_name, handle, people_in, tail_byline, trailing_role
from warta.extract.urls import web_url
from warta.models import Person

Node = Any  # selectolax.lexbor.LexborNode

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
# Author marks looked at, in page order: the article's come first, the rest are rivers and threads.
MAX_BYLINE_MARKS = 40
# Labels before a publication date, which bylines print beside the names.
DATE_LABEL = re.compile(
    r"(?:stand|published|posted|veröffentlicht|erschienen|diterbitkan|dipublikasikan|publié|publicado|pubblicato)"
    r"\b",
    re.IGNORECASE,
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
# A signature: a bold paragraph of this many capitalised words among the first or last few paragraphs.
SIGNATURE_PARAGRAPHS = 2
SIGNATURE_WORDS = (2, 4)


def read_author_marks(meta: Metadata, tree: Node, url: str | None) -> None:
    """Add the people of the byline marks, the forum's thread starter, a microdata Person and script data."""
    byline = _read_bylines(tree, url)
    meta.author_candidates.append(("dom:byline", byline.people, False))
    meta.author_extras.append(("dom:byline-first", byline.first, False))
    add_as_written(meta, "dom:byline-as-written", [byline.first_text] if byline.first_text else [])
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


@dataclass(slots=True)
class Byline:
    """What the page's author marks say: the byline block's people, its first mark's people and text, and
    the people of the next few marks that name someone outside the block."""

    people: list[Person]
    first: list[Person]
    first_text: str
    later: list[list[Person]]


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
    return Byline(unique_people(people)[:MAX_AUTHORS], unique_people(first_mark)[:MAX_AUTHORS], first_text, later)


def _key_of(people: list[Person]) -> frozenset[str]:
    return frozenset(person.name.casefold() for person in people)


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
            choose_authors(meta, url)
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
