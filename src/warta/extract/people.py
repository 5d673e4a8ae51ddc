"""People credited on an article: names as people write them, their roles, and what is not a person.

Bylines mix people with labels ("Penulis:", "By"), roles, initials ("Elena Oberholzer (obe)"), job titles,
the publisher, desks ("Redaksi", "Tim") and agencies ("ANTARA", "dpa"). This module turns one byline string
into the people in it; what it drops as a desk or agency the caller may keep as a source.
"""

from __future__ import annotations

import html
import re

from warta.models import Person

# Labels that open a byline or a credit, and the role they give the names after them. Longest first when
# matched, so "Edited by" wins over "by".
ROLE_LABELS: dict[str, str | None] = {
    # Indonesian
    "laporan": "reporter", "reporter": "reporter", "pewarta": "reporter", "wartawan": "reporter",
    "kontributor": "reporter", "penulis": "writer", "oleh": "writer", "editor": "editor", "redaktur": "editor",
    "penyunting": "editor", "fotografer": "photographer", "foto": "photographer", "pewarta foto": "photographer",
    # English
    "by": "writer", "written by": "writer", "posted by": "writer", "words by": "writer", "author": "writer",
    "reporting by": "reporter",
    "edited by": "editor", "photographer": "photographer", "photos by": "photographer", "photo by": "photographer",
    # German, French, Spanish, Portuguese, Italian, Dutch, Polish, Scandinavian
    "authors": "writer", "interview": "writer", "interview by": "writer", "erstellt von": "writer",
    "geschrieben von": "writer", "auteur": "writer", "auteurs": "writer", "autora": "writer",
    "escrito por": "writer", "publicado por": "writer",
    "von": "writer", "vom": "writer", "text": "writer", "text von": "writer", "verfasst von": "writer",
    "autor": "writer", "autorin": "writer", "autoren": "writer", "par": "writer", "por": "writer",
    "door": "writer", "przez": "writer", "av": "writer", "af": "writer",
    "redaktion": "editor", "bearbeitet von": "editor",
}  # fmt: skip

# Names that are desks, teams, the newsroom or an unnamed staff: never people.
NOT_PEOPLE: frozenset[str] = frozenset(
    {
        "redaksi", "tim", "tim redaksi", "admin", "administrator", "staff", "staff writer", "editorial",
        "editorial team", "editorial staff", "the editors", "editors", "newsroom", "news desk", "web desk",
        "redaktion", "rédaction", "la rédaction", "redacción", "redação", "redazione", "redactie", "redakcja",
        "guest", "guest author", "anonymous", "unknown", "email the author", "contributor", "contributors",
        "posted", "author", "authors", "written", "share", "follow", "more", "view all posts", "about the author",
        # Labels and headings that byline marks print where a name would be.
        "posted on", "published", "published on", "published by", "veröffentlicht", "veröffentlicht am",
        "publiziert am", "publié le", "publicado", "topic author", "thread starter", "username", "user name",
        "insights from", "written by", "artikel", "article", "post", "posts", "reviewed by", "fact checked by",
    }
)  # fmt: skip

# Words of the labels, headings and job titles that byline marks print around a name; a "name" made of
# nothing else is none ("Updated on", "Posted on", "Topic Author", "Contributing Writer", "from the").
LABEL_WORDS: frozenset[str] = frozenset(
    {
        "posted", "published", "updated", "last", "written", "author", "authors", "username", "topic", "thread",
        "starter", "insights", "from", "on", "at", "the", "am", "um", "veröffentlicht", "publiziert",
        "aktualisiert", "artikel", "article", "articles", "mehr", "more", "alle", "all", "posts", "beiträge", "von",
        "by", "profile", "view", "reviewed", "geprüft", "location", "member", "joined", "dept", "contributing",
        "contributor", "senior", "writer", "reporter", "editor", "correspondent", "read", "bio", "follow",
    }
)  # fmt: skip

# News agencies: credited like people, but sources of the text (see Article.sources), not its writers.
AGENCIES: dict[str, str] = {
    "antara": "ANTARA", "antara news": "ANTARA", "reuters": "Reuters", "afp": "AFP", "ap": "AP",
    "associated press": "AP", "the associated press": "AP", "dpa": "dpa", "sda": "SDA", "apa": "APA",
    "kna": "KNA", "epd": "epd", "ansa": "ANSA", "efe": "EFE", "bloomberg": "Bloomberg", "xinhua": "Xinhua",
    "bernama": "Bernama", "aap": "AAP", "pa": "PA", "ntb": "NTB", "tt": "TT", "ritzau": "Ritzau",
}  # fmt: skip

# A person's name has at most this many words ("Maria Fernanda de los Santos Ruiz" is six).
MAX_NAME_WORDS = 6
MAX_NAME_CHARS = 60
_CREDIT_EDGE = " .,:;-–—|·•"
# Soft hyphens and zero-width characters: invisible, and never part of a name.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# The roles of labels that name who wrote the piece, cut before a credit as printed.
WRITING_ROLES = frozenset({"writer", "reporter"})
# A credit as printed: a desk or a publication's name, not a sentence.
MAX_CREDIT_CHARS = 80
# A byline label in the middle of a line, the names after it ("Posted on May 2, 2020 by Adi Tzlil").
_TAIL_LABEL = re.compile(r"(?:^|\s)(?:by|von|vom|par|por|oleh|door|av|af)\s+([^\d|]{3,80})$", re.IGNORECASE)
# A forum login (an e-mail address serves as one on some boards).
MAX_HANDLE_CHARS = 40
# Particles that stay lower-case inside names.
NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "bin", "binti", "al"}
)

_LABELS = "|".join(re.escape(label) for label in sorted(ROLE_LABELS, key=len, reverse=True))
# A label opens the byline or follows a separator ("By A", "Penulis: A | Editor: B"), or anywhere carries a
# colon ("Reporter: A Editor: B"). Not elsewhere: "von" and "di" are also particles of names.
_LABEL = re.compile(
    rf"(?:^|(?<=[|,;·•\-–—]))\s*(?P<lead>{_LABELS})\b\s*[:：]?\s*|(?<!\w)(?P<colon>{_LABELS})\s*[:：]\s*",
    re.IGNORECASE,
)
_LEADING_LABEL = re.compile(rf"\s*({_LABELS})\b\s*[:：]?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s*(?:,|;|\||/|&|\+|\band\b|\bdan\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\bi\b)\s*")
_INITIALS_SUFFIX = re.compile(r"\s*\((?:[a-z]{2,4}\.?|[a-z]{2,4}/[a-z]{2,4})\)\s*$", re.IGNORECASE)
_TRAILER = re.compile(r"\s+[-–—|·•]\s+.*$")  # "David Jackson - FullStack Editorial Team"
_NOT_NAME = re.compile(r"@|https?:|www\.|\w\.[a-z]{2,}\b|\d|[»«›‹<>{}\[\]=]")
# An author page's address ("https://www.thenation.com/authors/sarah-lazare/"), given where a name belongs.
_PROFILE_URL = re.compile(
    r"^https?://[^/]+/(?:[^/]+/)*(?:authors?|penulis|reporter|profile|profil|autor|auteur)/([^/?#]+)/?$"
)


def _plain(text: str) -> str:
    """Entities decoded, invisible characters dropped (soft hyphens a layout puts inside long names:
    "Mat\xadthi\xadas"), whitespace collapsed."""
    return " ".join(html.unescape(text).translate(_INVISIBLE).split())


def people_in(byline: str, role: str | None = None, url: str | None = None) -> list[Person]:
    """The people named in one byline string, each with the role its label gives (or `role`)."""
    text = _plain(byline)
    profile = _PROFILE_URL.match(text)
    if profile:
        name = clean_name(profile.group(1).replace("-", " ").replace("_", " ").title())
        return [Person(name, role, text)] if name else []
    if text.startswith(("http://", "https://", "/")):
        return []  # another address: a social profile or a page, not a name
    people: list[Person] = []
    # Cut the byline at its labels: "Penulis: A | Editor: B" gives A as writer and B as editor.
    pieces: list[tuple[str | None, str]] = []
    position, current = 0, role
    for match in _LABEL.finditer(text):
        before = text[position : match.start()]
        if before.strip(" |,;-–—·•"):
            pieces.append((current, before))
        current = ROLE_LABELS[(match["lead"] or match["colon"]).lower()] or role
        position = match.end()
    pieces.append((current, text[position:]))
    for piece_role, piece in pieces:
        # Labels in a row ("Author Posted by Soliant"): the last one gives the role.
        # Matched at a moving position, not on a cut copy: "by by by ..." would copy the rest once per label.
        start = 0
        while (lead := _LEADING_LABEL.match(piece, start)) is not None and lead.end() > start:
            piece_role = ROLE_LABELS[lead.group(1).lower()] or piece_role
            start = lead.end()
        for part in _SEPARATORS.split(piece[start:]):
            name = clean_name(part)
            if name is not None:
                people.append(Person(name, piece_role, url))
    return people


def handle(raw: str) -> Person | None:
    """A forum member's login as its owner signs ("delta201", "ron1cne"): digits allowed, one short word.

    `clean_name` refuses digits, which in a byline mark a date or a phone number; a login is read from
    markup that holds nothing else (data-author, a username element).
    """
    name = _plain(raw).strip(" @")
    if not name or len(name) > MAX_HANDLE_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return None
    if name.startswith(("http://", "https://", "/")) or name.casefold() in NOT_PEOPLE:
        return None
    return Person(name)


def as_written(raw: str) -> list[str]:
    """The names of a credit as the page prints them, its opening label cut: what names a desk or the
    publication ("Redaktion", "Staff Writer", "AFP/The Local"), which `people_in` drops as no person."""
    text = _plain(raw)
    # Only the labels that say who wrote it are cut: "Redaktion Polizeiticker Schweiz" is the desk's name.
    start = 0
    while (lead := _LEADING_LABEL.match(text, start)) is not None and start < lead.end() < len(text):
        if ROLE_LABELS[lead.group(1).lower()] not in WRITING_ROLES:
            break
        start = lead.end()
    text = text[start:]
    if len(text) > MAX_CREDIT_CHARS or text.startswith(("http://", "https://", "/")):
        return []
    return [name for part in _SEPARATORS.split(text) if (name := part.strip(_CREDIT_EDGE))]


def tail_byline(text: str) -> list[Person]:
    """The people after the last "by" of a line that opens with something else ("Posted on May 2 by A")."""
    match = _TAIL_LABEL.search(" ".join(text.split()))
    return people_in(match.group(1)) if match else []


def opens_with_label(text: str) -> bool:
    """Whether `text` starts with a byline label ("By ...", "Oleh ...", "Penulis: ...")."""
    return _LEADING_LABEL.match(text) is not None


def trailing_role(text: str) -> str | None:
    """The role of a label that ends `text` ("... Penulis:" gives "writer"), or None."""
    matches = list(_LABEL.finditer(text))
    last = matches[-1] if matches else None
    if last is None or text[last.end() :].strip():
        return None
    return ROLE_LABELS[(last["lead"] or last["colon"]).lower()]


def clean_name(raw: str) -> str | None:
    """A person's name as people write it, or None when `raw` is not one (a desk, an agency, a URL)."""
    name = _TRAILER.sub("", _INITIALS_SUFFIX.sub("", raw.strip()))
    if "(" in name and ")" not in name:
        name = name[: name.index("(")]  # "raoul (raoul": a handle with its display name cut off
    name = name.strip(" .,:;-–—|·•()\"'“”")
    if not name or len(name) > MAX_NAME_CHARS or _NOT_NAME.search(name):
        return None
    words = name.split()
    if len(words) > MAX_NAME_WORDS or not any(ch.isalpha() for ch in name):
        return None
    key = name.casefold()
    if key in NOT_PEOPLE or key in AGENCIES or _PICTURE_CREDIT.match(name):
        return None
    if all(word.strip(".:,") in LABEL_WORDS for word in key.split()):
        return None  # "Updated on", "from the", "Contributing Writer": what a byline prints around a name
    if _SLUG.match(name):
        # An author page's slug where the name belongs ("chuck-ross"); a login ("aawoods", "q_admin") is
        # how its owner signs and stays as it is.
        return " ".join(part.capitalize() for part in name.split("-"))
    if name.isupper() and len(name) > 3:
        # "RENI ERINA" is how a layout prints the name, not how its owner writes it.
        name = " ".join(w.lower() if w.lower() in NAME_PARTICLES else _WORD_PART.sub(_capital, w) for w in words)
    return name


# Picture desks and credit labels that CMSs put in author fields ("Image: Getty Images", "iStockphoto").
_PICTURE_CREDIT = re.compile(
    r"^(?:(?:image|images|photo|photos|foto|bild|picture|credit)\s*:|getty\b|istock|shutterstock|imago\b"
    r"|picture[- ]alliance|alamy\b)",
    re.IGNORECASE,
)
# An author page's slug: lower-case words joined by hyphens.
_SLUG = re.compile(r"^[^\W\d_A-Z]+(?:-[^\W\d_A-Z]+)+$")

# Each part of a hyphenated or apostrophised name is capitalised: "THOMSON-DEVEAUX", "O'BRIEN".
_WORD_PART = re.compile(r"[^\W\d_]+")


def _capital(part: re.Match[str]) -> str:
    return part.group(0).capitalize()


def agency(raw: str) -> str | None:
    """The agency a credit names ("ANTARA", "dpa", "Reuters"), or None."""
    return AGENCIES.get(" ".join(raw.split()).strip(" .()").casefold())
