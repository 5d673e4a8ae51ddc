"""Credits and attributions: who took the photo, and whose reporting the article passes on.

A photo caption carries its credit in a dozen house styles: "Pasukan CSTO di Almaty/Net", "(ANTARA
FOTO/Ahmad Subaidi/wdy)", "Foto: Istimewa", "Photo by Jane Doe", "REUTERS/Evgenia Novozhenina". An article
names the outlets it draws on just as variously: "dikutip dari Euro News", "dilansir dari Reuters",
"according to the BBC", "(Reuters) -". Both are matched with cue phrases kept here as data, per language.
"""

from __future__ import annotations

import re

# Labels that introduce a credit inside or after a caption.
CREDIT_LABELS: tuple[str, ...] = (
    "foto", "photo", "photos", "photograph", "image", "images", "bild", "fotos", "kredit", "credit",
    "sumber foto", "dok", "dokumentasi", "illustration", "ilustrasi", "video",
)  # fmt: skip
# Agencies and picture desks that open a credit without a label ("REUTERS/Evgenia Novozhenina").
CREDIT_OPENERS: tuple[str, ...] = (
    "antara foto", "antara", "reuters", "afp", "ap photo", "ap", "getty images", "epa", "dpa", "picture alliance",
    "xinhua", "anadolu", "shutterstock", "istockphoto", "imago", "keystone", "bloomberg",
)  # fmt: skip
# Short credits printed after a slash at the end of a caption ("kerusuhan/Net").
MAX_SLASH_CREDIT_WORDS = 4

# Phrases after which an article names the outlet it quotes, per language.
SOURCE_CUES: dict[str, tuple[str, ...]] = {
    "id": ("dikutip dari", "mengutip dari", "mengutip", "dilansir dari", "dilansir", "seperti dilansir",
           "seperti dilaporkan", "dilaporkan oleh", "melansir", "menurut laporan", "sumber:"),
    "en": ("according to", "as reported by", "reported by", "first reported by", "source:", "via"),
    "de": ("berichtet", "laut", "wie die", "zufolge"),
    "fr": ("selon", "rapporte", "d'après"),
    "es": ("según", "informó", "de acuerdo con"),
}  # fmt: skip
# Outlets that open an article as its wire source: "(Reuters) -", "ANTARA News -", "JAKARTA, KOMPAS.com -".
WIRE_OPENING = re.compile(
    r"^\s*(?:[A-ZÀ-Ý][\w .'-]{1,40},\s*)?\(?(?P<outlet>Reuters|AFP|AP|ANTARA(?: News)?|Bernama|Xinhua|dpa|Bloomberg)"
    r"\)?\s*[-–—]",
)
# A source name: a few capitalised words ("Euro News", "The Guardian", "CNN Indonesia", "Reuters").
_OUTLET = re.compile(
    r"(?P<outlet>(?:the[ \u00a0]+)?(?:[A-Z][\w.&'-]*|[A-Z]{2,})(?:[ \u00a0]+(?:[A-Z][\w.&'-]*|[A-Z]{2,}))*)"
)
MAX_OUTLET_WORDS = 4

_LABELLED = re.compile(
    r"\s*[|•·,.]?\s*\(?\s*(?:" + "|".join(sorted(map(re.escape, CREDIT_LABELS), key=len, reverse=True)) + r")"
    r"\s*(?:by|oleh|von|par|de)?\s*[:.]?\s+(?P<credit>[^()]{2,80}?)\s*\)?\s*$",
    re.IGNORECASE,
)
_OPENED = re.compile(
    r"(?:^|[\s(])\(?(?P<credit>(?:" + "|".join(sorted(map(re.escape, CREDIT_OPENERS), key=len, reverse=True)) + r")\b"
    r"[^()]{0,80}?)\)?\s*\.?\s*$",
    re.IGNORECASE,
)
# A credit in capitals before the caption, as Indonesian sites print it: "KOMPAS.COM/MASRIADI Penyidik ...".
_LEADING_CAPS = re.compile(
    r"^(?P<credit>[A-Z0-9][A-Z0-9.&'-]*(?: [A-Z0-9][A-Z0-9.&'-]*)*/[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*)*)\s+(?=[A-Z][a-z])"
)
# A slash credit is at most this long ("Pasukan CSTO di Almaty/Net").
MAX_SLASH_CREDIT_CHARS = 40
_WORD_CHAR = re.compile(r"\w")
# Possessive, and tried only where a whitespace run starts: a line of spaces then cost one scan, not one per
# space.
_EDITOR_INITIALS = re.compile(r"(?<!\s)\s*+/\s*+[a-z]{2,4}\.?$")


def split_credit(text: str) -> tuple[str | None, str | None]:
    """Split a caption into (caption, credit); either may be None."""
    text = " ".join(text.split())
    if not text:
        return None, None
    leading = _LEADING_CAPS.match(text)
    if leading:
        return _caption(text[leading.end() :]), _credit(leading["credit"])
    for pattern in (_LABELLED, _OPENED):
        match = pattern.search(text)
        # A whole line that opens with an agency is a credit only in credit form ("ANTARA FOTO/Ahmad Subaidi");
        # "Reuters reports that ..." is a sentence.
        if match and (match.start() > 0 or "/" in match["credit"] or len(match["credit"].split()) <= 2):
            return _caption(text[: match.start()]), _credit(match["credit"])
    slashed = _slash_credit(text)
    if slashed and len(slashed[1].split()) <= MAX_SLASH_CREDIT_WORDS and slashed[1][:1].isupper():
        return _caption(slashed[0]), _credit(slashed[1])
    return text, None


def _slash_credit(text: str) -> tuple[str, str] | None:
    r"""(caption, credit) of "caption / credit", the credit after the last slash, the caption holding a word
    after the slash before it; None when the text is not in that form.

    String methods rather than a regular expression: the expression this replaces
    (``^(.*\w[^/]*?)\s*/\s*([^/]{1,40})$``) tried every split of the caption, quadratic in the line's
    length, so one long line without a slash took minutes.
    """
    slash = text.rfind("/")
    if slash < 0:
        return None
    credit = text[slash + 1 :].lstrip()
    if not 1 <= len(credit) <= MAX_SLASH_CREDIT_CHARS:
        return None
    if _WORD_CHAR.search(text, text.rfind("/", 0, slash) + 1, slash) is None:
        return None
    return text[:slash].rstrip(), credit


def _caption(text: str) -> str | None:
    caption = text.strip(" |•·,-–—(")
    return caption or None


def _credit(text: str) -> str | None:
    credit = _EDITOR_INITIALS.sub("", text.strip(" .()"))
    return credit or None


# Indonesian cues name outlets ("dilansir dari Reuters"); elsewhere "according to" also names people and
# offices, so what follows must look like an outlet: an acronym (BBC, CNN) or a name with a media word.
OUTLET_CUE_LANGUAGES = frozenset({"id"})
OUTLET_WORDS = re.compile(
    r"\b(?:news|times|post|daily|tv|radio|press|media|journal|herald|tribune|telegraph|guardian|gazette|"
    r"agency|agentur|zeitung|magazin|magazine|channel|network|online|wire|kompas|tempo|detik)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^(?:the\s+)?[A-Z]{2,6}$")


# Each cue with whether any capitalised name after it counts (see OUTLET_CUE_LANGUAGES).
_CUES: tuple[tuple[str, bool], ...] = tuple(
    (cue, language in OUTLET_CUE_LANGUAGES) for language, cues in SOURCE_CUES.items() for cue in cues
)


def sources_in(paragraphs: list[str]) -> list[str]:
    """The outlets the article attributes its content to, in order of first mention."""
    found: list[str] = []
    if not paragraphs:
        return found
    opening = WIRE_OPENING.match(paragraphs[0])
    if opening:
        _add(found, opening["outlet"])
    text = "\n".join(paragraphs)
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lowered; positions would drift
        lower = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    # One C-level substring search per cue: a regex alternation of every cue, tried at every position of
    # the body, cost more than the rest of the source search together.
    hits: list[tuple[int, str]] = []
    for cue, any_name in _CUES:
        start = lower.find(cue)
        while start >= 0:
            end = start + len(cue)
            if (start == 0 or not lower[start - 1].isalnum()) and end < len(text) and text[end] in " \t\u00a0":
                outlet = _OUTLET.match(text, end + 1)
                name = outlet["outlet"] if outlet else ""
                if name and (any_name or _ACRONYM.match(name) or OUTLET_WORDS.search(name)):
                    hits.append((start, name))
            start = lower.find(cue, end)
    for _position, name in sorted(hits):
        _add(found, name)
    return found


def _add(found: list[str], outlet: str) -> None:
    name = re.sub(r"^the\s+", "", outlet.strip(" .,"), flags=re.IGNORECASE)
    words = name.split()
    if not words or len(words) > MAX_OUTLET_WORDS or name in found:
        return
    found.append(name)
