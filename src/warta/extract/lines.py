"""Lines of flattened page text, and the cues they keep once the markup is gone.

A crawl dump prints every block of the page on a line of its own: menu items (often with a bullet), the
headline (often twice), the byline, the dateline, a caption, the paragraphs, calls to action, related
headlines. What survives of the markup is little, and this module reads it: the bullet a converter put
before a list item, raw HTML a CMS left escaped in a byline
(`<a href=…>NAME</a>`), image alt text fused into the prose around it ("rmol news logo Situasi ..."), and
how often the same line is printed on the page or across a site's pages.
"""

from __future__ import annotations

import enum
import hashlib
import html
import re
from collections import Counter
from dataclasses import dataclass

from warta.extract import phrases
from warta.extract.runs import text_size

# Marks a text converter puts before list items and menu entries.
BULLETS = "•·●▪▫◦‣∙*-–—►▸»›|>"
_BULLET = re.compile(r"^[\s" + re.escape(BULLETS) + r"]+(?=\S)")
_DASHES = frozenset("-–—")
_TAG = re.compile(r"<[^>]{0,500}>")
# Bounded repeats: an unclosed tag or link on a long line costs a bounded scan from each "<a", not the rest
# of the line. The address is possessive: a shorter one could never let the rest match, and trying each
# length against each length of the attributes after it cost a million steps per "<a href=" left open.
_ANCHOR = re.compile(
    r"""<a\b[^>]{0,500}?\bhref\s*=\s*["']?([^"'\s>]{1,2000}+)["']?[^>]{0,500}>(.{0,1000}?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)

# A sentence ends with one of these, give or take closing quotes and brackets.
_SENTENCE_END = re.compile(r"""[.!?…。！？:;]["'”’»)\]]*$""")
_SENTENCE_PUNCT = re.compile(r"[.!?。！？…:;,]")

# A line this long (in Latin-script characters) with a sentence ending, or any line of LONG_LINE_CHARS with
# punctuation inside, is prose; shorter lines are labels, menu entries and headlines.
MIN_PROSE_CHARS = 40
LONG_LINE_CHARS = 120

# Image alt text fused into the prose next to it ("rmol news logo Situasi Kazakhstan ...", "... dalam
# proses. rmol news logo article"): a few lower-case words at the edge of a line that name an image, or
# that the page prints at another line's edge too. Prose does not open with lower-case words before a
# capital, nor trail lower-case words after its last full stop.
MAX_ALT_WORDS = 6
IMAGE_WORDS = frozenset(
    {
        "logo", "icon", "image", "img", "photo", "foto", "picture", "gambar", "ilustrasi", "illustration",
        "banner", "thumbnail", "avatar", "bild", "imagen", "immagine", "afbeelding", "zdjęcie", "article",
    }
)  # fmt: skip
_LEADING_FRAGMENT = re.compile(r"^((?:[a-z0-9][\w.&-]*\s+){1," + str(MAX_ALT_WORDS) + r"})(?=[A-Z\"“'‘(«])")
# Words are separated by required spaces: with optional ones, a long word splits into words in exponentially
# many ways, and a line ending in "aaaa…!" took minutes to fail.
_TRAILING_FRAGMENT = re.compile(
    r"""(?<=[.!?…"”’])\s+([a-z0-9][\w.&-]*(?:\s+[a-z0-9][\w.&-]*){0,""" + str(MAX_ALT_WORDS - 1) + r"})\s*$"
)


class Role(enum.StrEnum):
    """What a line of flattened page text is."""

    HEADLINE = "headline"
    BYLINE = "byline"
    DATELINE = "dateline"
    CAPTION = "caption"
    BODY = "body"
    FURNITURE = "furniture"


class Reason(enum.StrEnum):
    """Why a line is not part of the article's body (see `warta clean`'s summary)."""

    NAVIGATION = "navigation"  # a bulleted menu or list of links outside the article
    LABEL = "label"  # a short line without a sentence, outside the article
    OUTSIDE = "outside article"  # prose-like text away from the article (teasers, footers)
    REPEATED = "repeated on page"  # printed more than once on the page
    PHRASE = "furniture phrase"  # a call to action, a related header, "Baca juga:", a copyright line
    AFTER_ARTICLE = "after article"  # below a related-articles or comments header
    BOX = "box in article"  # a related-articles header and its links between paragraphs
    RECURRING = "recurring on site"  # printed on many pages of the same site
    METADATA = "metadata"  # a headline, byline, dateline or caption, read into the article's fields


@dataclass(slots=True)
class Line:
    """One non-blank line of the page text, with what the markup left of it."""

    raw: str
    text: str  # tags removed, entities decoded, spaces collapsed, bullet and alt-text fragments cut
    key: str  # `text` case-folded: equal keys are the same line printed again
    bulleted: bool
    anchors: tuple[tuple[str, str], ...]  # (text, href) of links left in the line as raw HTML
    size: float = 0.0
    role: Role = Role.FURNITURE
    reason: Reason | None = None
    weight: float = 0.0


def line_key(text: str) -> str:
    """The comparison key of a line: what `warta clean` counts across a site's pages."""
    return " ".join(text.casefold().split())


def line_hash(key: str) -> int:
    """A stable 64-bit hash of a line key: the same in every process, unlike `hash()`, so workers and the
    parent of a cleaning run agree (see `warta.clean`)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def clean_line(raw: str) -> tuple[str, bool]:
    """A raw line's text without tags, entities or a leading bullet, and whether it had a bullet."""
    text = _TAG.sub(" ", raw) if "<" in raw else raw
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(text.split())
    bullet = _BULLET.match(text)
    if bullet is None:
        return text, False
    if bullet.group(0).strip() in _DASHES:
        # A dash also opens quoted speech in some languages ("– Wir sind bereit", sagte er.): it stays in
        # the text, and `weigh` reads the line as prose before it asks about bullets.
        return text, True
    return text[bullet.end() :], True


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, cleaned, with the cues the markup left."""
    lines: list[Line] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        anchors = tuple(
            (" ".join(_TAG.sub(" ", html.unescape(label)).split()), html.unescape(href))
            for href, label in _ANCHOR.findall(raw)
        )
        cleaned, bulleted = clean_line(raw)
        if cleaned:
            lines.append(Line(raw, cleaned, line_key(cleaned), bulleted, anchors, text_size(cleaned)))
    return lines


def cut_alt_text(lines: list[Line]) -> int:
    """Cut image alt text fused into the edges of prose lines; return how many fragments went."""
    fragments: list[tuple[Line, str, bool]] = []
    for line in lines:
        lead = _LEADING_FRAGMENT.match(line.text)
        if lead:
            fragments.append((line, lead.group(1), True))
        tail = _TRAILING_FRAGMENT.search(line.text)
        if tail:
            fragments.append((line, tail.group(1), False))
    if not fragments:
        return 0
    seen = Counter(line_key(fragment) for _line, fragment, _lead in fragments)
    cut = 0
    for line, fragment, leading in fragments:
        words = fragment.lower().split()
        # Words that name an image, or a fragment the page prints at another line's edge too ("rmol news
        # logo" before the first paragraph and after the last).
        if not (IMAGE_WORDS.intersection(words) or seen[line_key(fragment)] > 1):
            continue
        text = line.text[len(fragment) :] if leading else line.text[: line.text.rfind(fragment.strip())]
        text = text.strip()
        if text:
            line.text, line.key, line.size = text, line_key(text), text_size(text)
            cut += 1
    return cut


def is_sentence(line: Line) -> bool:
    """Whether a line reads as prose: long enough and ending like a sentence, or long with punctuation."""
    if line.size >= LONG_LINE_CHARS:
        return _SENTENCE_PUNCT.search(line.text) is not None
    return line.size >= MIN_PROSE_CHARS and _SENTENCE_END.search(line.text) is not None


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text) is not None


# What a line that is not prose costs the article around it, in characters: enough that a menu of short
# entries between two blocks of prose keeps them apart, little enough that a subhead or a caption inside the
# article does not split it. Each further line of a run of such lines costs LABEL_COST more than the one
# before: a menu or a list of related headlines is a wall however much prose-like junk follows it.
LABEL_COST = 25.0
# Prose-like lines the page prints more than once, or that a site prints on many pages, weigh against.
REPEAT_PENALTY = 1.0
# A bulleted sentence is a list item: in an article, or a teaser in a list of them. It counts this much.
BULLETED_PROSE_SHARE = 0.5


def weigh(lines: list[Line], recurring: frozenset[str] = frozenset()) -> None:
    """Give each line its worth as article text, and the reason it would go if it is not the article's."""
    counts = Counter(line.key for line in lines)
    streak = 0  # non-prose lines in a row so far
    for line in lines:
        if line.key in recurring:
            line.weight, line.reason = -REPEAT_PENALTY * line.size, Reason.RECURRING
        elif counts[line.key] > 1:
            line.weight, line.reason = -REPEAT_PENALTY * line.size, Reason.REPEATED
        elif phrases.is_section_header(line.text) or phrases.is_furniture_line(line.text):
            # Furniture, but it stands inside articles too ("Baca juga: ..." between paragraphs): it costs
            # what a label costs, so it does not cut the article in two.
            line.weight, line.reason = 0.0, Reason.PHRASE
        elif is_sentence(line):
            share = BULLETED_PROSE_SHARE if line.bulleted else 1.0
            line.weight, line.reason = share * line.size, Reason.OUTSIDE
            streak = 0
            continue
        elif line.bulleted:
            line.weight, line.reason = -line.size, Reason.NAVIGATION
        else:
            line.weight, line.reason = 0.0, Reason.LABEL
        streak += 1
        line.weight = min(line.weight, 0.0) - LABEL_COST * streak


def best_span(weights: list[float]) -> tuple[int, int]:
    """The stretch of lines [start, end) whose weights sum highest (Kadane's algorithm); (0, 0) if none sums
    above zero. The article is the longest run of prose that no menu or teaser list interrupts."""
    best, span = 0.0, (0, 0)
    total, start = 0.0, 0
    for index, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, index
        total += weight
        if total > best:
            best, span = total, (start, index + 1)
    return span


def grow(weights: list[float], start: int, step: int = 1) -> tuple[int, float]:
    """From `start`, take lines while what was taken still sums above zero; return where the best prefix
    ends (exclusive; going backwards with `step` -1, where it begins) and its sum.

    Unlike `best_span`, this never crosses a wall (a menu, a teaser list) that costs more than the prose
    before it, however heavy the text beyond: it finds the article that starts at a known place.
    """
    best, best_at = 0.0, start
    total, index = 0.0, start
    while 0 <= index < len(weights):
        total += weights[index]
        if total <= 0:
            break
        if total > best:
            best, best_at = total, index
        index += step
    if best <= 0:
        return start, 0.0
    return (best_at + 1 if step > 0 else best_at), best
