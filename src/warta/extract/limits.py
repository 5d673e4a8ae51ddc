"""How much input one page may be, and the bounding of markup that would make parsing slow.

Extraction runs millions of times in a bulk job, on whatever a server sent. Every input must take a bounded
time, so the input is bounded first: over the caps below it is refused with `TooLargeError` (a batch counts
the skip as "too-large"); under them, the two shapes that make the HTML parser quadratic are cut down before
it sees them. Lexbor checks the stack of open elements on every start tag and compares each attribute with
the element's earlier ones, so 10^5 nested `<div>`s took 51 s and 10^5 attributes on one element 90 s.

The caps sit far above real pages. Measured on the 2,765 pages of ../shared/data: at most 5.3 MB, 19,827
tags, nesting 56 deep and 136 attributes on one element.
"""

from __future__ import annotations

import re
from collections import Counter

from warta.errors import TooLargeError

# Bytes (or characters, for text) of one page. The largest real page seen is 5.3 MB; a bigger input is an
# archive, a data dump or an attack, and costs seconds and gigabytes to parse (a 50 MB page: 14-28 s, 1.7 GB).
MAX_INPUT_BYTES = 8 * 1024 * 1024
# Tags in one page (the most seen: about 20,000); past this the page is refused.
MAX_TAGS = 100_000
# Nesting depth the parser is given; deeper start tags (and their end tags) are dropped, so their content
# joins the element at the limit. Browsers flatten too (Chromium from 512 levels); real pages stay under 60.
MAX_DEPTH = 512
# Attributes kept on one element; the rest are dropped. Real elements carry at most about 140.
MAX_ATTRIBUTES = 256
# The parser compares each attribute with the element's earlier ones, so an element of n attributes costs
# n^2: a page's elements may cost this much in all (a real page: about 2 million; 4.6e8 took 5 s), and
# once they have, each later element keeps at most SPENT_ATTRIBUTES.
ATTRIBUTE_WORK = 16_000_000
SPENT_ATTRIBUTES = 16
# Lines of flattened text `extract_text` reads; each is weighed by rules and the line model, about 0.3 ms
# apiece on one core (49,000 lines took 14 s), and a real page's text has a few hundred to a few thousand.
MAX_TEXT_LINES = 10_000
# Characters of flattened text `extract_text` reads: its line features cost a few microseconds a character
# (a 2 MB page source fed as text took 5-25 s), and an article's text with its furniture is far shorter.
MAX_TEXT_CHARS = 1024 * 1024

# A tag, a comment, or the start of a raw-text element whose content is no markup. Attribute text stops at
# the next "<" as well as at ">": an unclosed tag then costs a scan to the next tag, not to the end of the
# page, which kept a page of 10^5 "<a " at linear cost.
_MARKUP = re.compile(r"<(?:(/?)([a-zA-Z][^\s/>]*)([^<>]*+)>|!--)")
# Elements whose content the parser reads as text: tags inside them are not elements.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
# Where each raw-text element ends.
_RAW_TEXT_END = {name: re.compile(f"</{name}", re.IGNORECASE) for name in _RAW_TEXT}
# Elements of foreign content (SVG, MathML), where a start tag ending in "/>" closes itself; in HTML proper
# the slash means nothing and `<div/>` opens a div.
_FOREIGN = ("svg", "math")
# Elements without content (void), and elements whose next sibling of the same kind closes them (li, p,
# td, ...), which do not deepen a tree however many there are.
_NOT_NESTING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param", "keygen", "frame", "basefont", "bgsound",
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt",
        "rp", "rtc", "html", "head", "body",
    }
)  # fmt: skip
# One attribute of a start tag: a name, then an optional value, quoted or not.
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+""")
# A start tag shorter than this holds too few attributes to matter (each takes at least two characters), so
# only longer ones are counted.
_ATTRIBUTES_CHECKED_FROM = 2 * SPENT_ATTRIBUTES


def check_size(data: str | bytes) -> None:
    """Refuse an input larger than any page (see MAX_INPUT_BYTES)."""
    if len(data) > MAX_INPUT_BYTES:
        unit = "bytes" if isinstance(data, bytes) else "characters"
        raise TooLargeError(f"the input holds {len(data):,} {unit}; a page holds at most {MAX_INPUT_BYTES:,}")


def check_lines(count: int, chars: int) -> None:
    """Refuse flattened text of more lines or characters than any page's (MAX_TEXT_LINES, MAX_TEXT_CHARS)."""
    if chars > MAX_TEXT_CHARS:
        raise TooLargeError(f"the text holds {chars:,} characters; a page holds at most {MAX_TEXT_CHARS:,}")
    if count > MAX_TEXT_LINES:
        raise TooLargeError(f"the text holds {count:,} lines; a page holds at most {MAX_TEXT_LINES:,}")


def bound_markup(html: str) -> str:
    """Return the page's markup with nesting past MAX_DEPTH flattened and attributes past MAX_ATTRIBUTES
    dropped; raise TooLargeError past MAX_TAGS.

    A page within the limits comes back as it is (the same object), so bounding costs a real page one
    scan of its tags and changes nothing of its extraction. The depth is the parser's as far as a scan of
    tags can tell: end tags close the innermost open element of their name, and elements that cannot
    nest (see _NOT_NESTING) are not counted, so the estimate errs high only on pages that leave thousands of
    elements open, which the parser would have to hold open too.
    """
    check_size(html)
    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) of the tags rewritten
    open_by_name: Counter[str] = Counter()
    dropped_by_name: Counter[str] = Counter()
    depth = tags = work = 0
    position = 0
    search = _MARKUP.search
    while (match := search(html, position)) is not None:
        position = match.end()
        name = match.group(2)
        if name is None:  # a comment: nothing inside it is markup
            close = html.find("-->", position)
            position = len(html) if close < 0 else close + 3
            continue
        tags += 1
        if tags > MAX_TAGS:
            raise TooLargeError(f"the page holds more than {MAX_TAGS:,} tags")
        name = name.lower()
        if match.group(1):
            if dropped_by_name[name]:
                dropped_by_name[name] -= 1
                cuts.append((match.start(), match.end(), ""))
            elif open_by_name[name]:
                open_by_name[name] -= 1
                depth -= 1
            continue
        attributes = match.group(3)
        if len(attributes) >= _ATTRIBUTES_CHECKED_FROM:
            # At least the number of attributes, counted at C speed; the exact count only when it matters.
            count = len(attributes.split()) + attributes.count('"') // 2 + attributes.count("'") // 2
            if count > SPENT_ATTRIBUTES:
                found = _ATTRIBUTE.findall(attributes)
                count = len(found)
            keep = MAX_ATTRIBUTES if work <= ATTRIBUTE_WORK else SPENT_ATTRIBUTES
            work += min(count, keep) ** 2
            if count > keep:
                cuts.append((match.start(), match.end(), f"<{match.group(2)} {_kept(attributes, found[:keep])}>"))
        if name in _RAW_TEXT:
            end = _RAW_TEXT_END[name].search(html, position) if name != "plaintext" else None
            position = len(html) if end is None else end.start()
            continue
        if name in _NOT_NESTING or (attributes.endswith("/") and any(open_by_name[f] for f in _FOREIGN)):
            continue
        if depth >= MAX_DEPTH:
            dropped_by_name[name] += 1
            if cuts and cuts[-1][0] == match.start():
                cuts.pop()
            cuts.append((match.start(), match.end(), ""))
            continue
        open_by_name[name] += 1
        depth += 1
    if not cuts:
        return html
    pieces = []
    done = 0
    for cut_start, cut_end, replacement in cuts:
        pieces.append(html[done:cut_start])
        pieces.append(replacement)
        done = cut_end
    pieces.append(html[done:])
    return "".join(pieces)


def _kept(attributes: str, kept: list[str]) -> str:
    """A start tag's attribute text up to the end of the last of its attributes `kept` (its first ones)."""
    end = 0
    for attribute in kept:
        end = attributes.index(attribute, end) + len(attribute)
    return attributes[:end]
