"""Phrases that mark furniture inside an article's text, per language, kept as data.

Class words (selectors.py) find furniture by its markup; these find it by what it says, for the furniture
that sits in the body container with nothing in its markup to tell it apart: "Baca juga:" links between
paragraphs, a "Mehr zum Thema" header over related links, a copyright line under the last paragraph.

Every phrase is matched case-insensitively at the start of a short run (after optional bullets and
punctuation), so "Read more" can drop a header without touching a sentence that mentions reading more.
The HTML path and the text path share these lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from warta.extract.datelines import MONTHS

# Headers that open a block of links to other articles, or the comment section. Everything after such a
# header, once most of the article has been read, is furniture (see blocks.blocks_from_runs). Blog themes'
# sidebar widget titles ("Recent Posts", "Categories") belong here too: after the article they open the
# sidebar that a wide container swept in.
SECTION_HEADERS: dict[str, tuple[str, ...]] = {
    "id": (
        "artikel lainnya",  # "other articles": the seed page's related block
        "artikel terkait",
        "berita lainnya",
        "berita terkait",  # "related news"
        "berita terpopuler",
        "terpopuler",
        "rekomendasi",
        "pilihan redaksi",  # "editors' picks"
        "baca juga",  # as a header over a list; as a line prefix see LINE_PREFIXES
        "simak juga",
        "lihat juga",
        "komentar",  # "comments"
        "tulis komentar",
        "topik terkait",
        "tag terkait",
        "tentang penulis",  # "about the author"
        "berita terbaru",  # "latest news"
        "artikel terbaru",
        "terkini",
    ),
    "en": (
        "related",
        "related articles",
        "related stories",
        "related posts",
        "related content",
        "related news",
        "related coverage",
        "read more",
        "read next",
        "more from",
        "more stories",
        "more on this",
        "more news",
        "more to read",
        "you may also like",
        "you might also like",
        "you may be interested in",
        "recommended",
        "recommended for you",
        "most popular",
        "most read",
        "trending",
        "comments",
        "leave a reply",
        "leave a reply cancel reply",  # WordPress's comment form title
        "tags",
        "topics",
        "leave a comment",
        "join the conversation",
        "what to read next",
        "also read",
        "see also",
        "further reading",
        "about the author",
        "about the authors",
        "recent posts",  # blog sidebar widgets
        "recent articles",
        "recent comments",
        "latest posts",
        "latest articles",
        "latest news",
        "popular posts",
        "popular articles",
        "categories",
        "archives",
        "more videos",
        "related videos",
        "more articles",
        "other articles",
    ),
    "de": (
        "mehr zum thema",
        "lesen sie auch",
        "lesen sie mehr",
        "auch interessant",
        "das könnte sie auch interessieren",
        "das könnte dich auch interessieren",
        "verwandte artikel",
        "verwandte themen",
        "ähnliche artikel",
        "ähnliche beiträge",
        "verwandte beiträge",
        "zum weiterlesen",
        "weitere artikel",
        "weitere beiträge",
        "weitere themen",
        "meistgelesen",
        "kommentare",
        "kommentar schreiben",
        "kommentar verfassen",
        "schreibe einen kommentar",
        "schreibe einen kommentar antworten abbrechen",  # WordPress's German comment form title
        "kommentieren",
        "schlagworte",  # tag lists
        "schlagwörter",
        "themen",
        "diskutieren sie mit",
        "über den autor",
        "über die autorin",
        "zur person",
        "nützliche links",
        "schon gelesen",
        "weitere informationen",
        "neueste beiträge",  # blog sidebar widgets
        "neueste artikel",
        "letzte beiträge",
        "beliebte beiträge",
        "kategorien",
        "archiv",
    ),
    "fr": (
        "lire aussi",
        "à lire aussi",
        "a lire aussi",
        "sur le même sujet",
        "articles similaires",
        "articles liés",
        "nos articles",
        "les plus lus",
        "commentaires",
        "laisser un commentaire",
        "voir aussi",
        "à propos de l'auteur",
        "l'auteur",
    ),
    "es": (
        "lee también",
        "lea también",
        "leer más",
        "te puede interesar",
        "le puede interesar",
        "noticias relacionadas",
        "artículos relacionados",
        "más noticias",
        "lo más leído",
        "comentarios",
        "deja un comentario",
        "ver también",
        "sobre el autor",
        "sobre la autora",
    ),
    "pt": (
        "leia também",
        "leia mais",
        "veja também",
        "notícias relacionadas",
        "comentários",
    ),
    "it": (
        "leggi anche",
        "articoli correlati",
        "potrebbe interessarti",
        "commenti",
    ),
    "nl": ("lees ook", "gerelateerde artikelen", "meer nieuws", "reacties"),
    "pl": ("zobacz także", "zobacz też", "czytaj także", "czytaj też", "polecamy", "komentarze", "podobne artykuły"),
    "no": ("les også", "mer om", "kommentarer"),
    "sv": ("läs också", "läs även", "relaterade artiklar", "kommentarer"),
    "da": ("læs også", "relaterede artikler", "kommentarer"),
}

# Headers that name what follows: "More in News", "More from BBC Sport", "Mehr aus Berlin". The phrase
# may be followed by a few words. Not "More about ..." or "More on ...": documentation titles its own
# sections that way.
SECTION_HEADER_STEMS: tuple[str, ...] = (
    "more in",
    "more from",
    "more stories from",
    "mehr aus",
    "mehr von",
    "plus de",
    "más de",
    "más noticias de",
    "berita lainnya di",
    "lainnya dari",
)

# Prefixes of single lines that are furniture wherever they stand in the body: in-body links to other
# articles, calls to follow or subscribe, copyright and credit lines. Only the line goes.
LINE_PREFIXES: dict[str, tuple[str, ...]] = {
    "id": (
        "baca juga",  # "read also: <headline>", the commonest in-body link on Indonesian sites
        "baca:",
        "simak juga",
        "lihat juga",
        "simak video",
        "tonton juga",
        "saksikan",
        "ikuti kami",  # "follow us"
        "ikuti berita",
        "ikuti juga",
        "ikuti whatsapp",
        "cek berita dan artikel",
        "dapatkan update",
        "download aplikasi",
        "hak cipta",  # copyright
        "dilarang mengambil",  # "it is forbidden to take (this content)"
        "editor:",
        "redaktur:",
        "penulis:",
        "pewarta:",
        "reporter:",
        "laporan:",
        "sumber:",
        "foto:",
    ),
    "en": (
        "read more:",
        "read also:",
        "also read:",
        "related:",
        "see also:",
        "follow us",
        "sign up for",
        "subscribe to",
        "click here to",
        "all rights reserved",
        "copyright",
        "photo:",
        "photo credit",
        "image:",
        "image credit",
        "advertisement",
        "share this",
        "share on",
        "story continues below",
        "subscribe now",
        "this content is reserved for subscribers",
        "this article is free to read",
        "create an account",
        "register to",
        "sign in to",
        "already a subscriber",
        "already have an account",
        "we apologize, but this video",
        "photo by",
        "photograph by",
        "photography by",
        "credit:",
        "(credit:",
        "image via",
        "this entry was posted",  # WordPress's post footer
        "was this article helpful",
        "did you find this article",
        "you must be logged in to",
        "bookmark the permalink",
        "posted in",
        "filed under",
        "instant access to the full article",
        "we want to hear what you think about this article",
        "for the latest stories",
    ),
    "de": (
        "lesen sie auch:",
        "mehr zum thema:",
        "weiterlesen:",
        "folgen sie uns",
        "zum newsletter",
        "jetzt abonnieren",
        "weiterlesen mit",  # "Weiterlesen mit Z+", paywall prompts
        "sie haben bereits ein abo",
        "möchten sie weiterlesen",
        "vergrößern",  # the zoom label fused into image captions
        "kommentare schreiben",
        "dieser eintrag wurde",  # WordPress's post footers
        "dieser beitrag wurde",
        "der beitrag wurde am",
        "war der artikel",  # feedback and sharing prompts
        "war dieser artikel",
        "dieser artikel gefällt",
        "hat ihnen der artikel",
        "hat ihnen dieser artikel",
        "möchten sie den artikel",
        "sie müssen sich einloggen",
        "kommentar schreiben",
        "alle rechte vorbehalten",
        "foto:",
        "bild:",
        "anzeige",
    ),
    "fr": (
        "lire aussi:",
        "suivez-nous",
        "tous droits réservés",
        "photo :",
        "article réservé aux abonnés",
        "il vous reste",  # "il vous reste 57 % de cet article à lire"
        "la suite est réservée",
        "vous possédez déjà un compte",
        "déjà abonné",
        "pour lire la suite",
        "pour rester informé",
    ),
    "es": ("lee también:", "lea también:", "síguenos", "todos los derechos reservados", "foto:"),
    "pl": ("zobacz także:", "czytaj także:", "czytaj też:", "reklama", "fot."),
}

# Calls to follow the site on a platform or to install its app, wherever they stand in a short line: "Temukan
# berita-berita hangat ... di Google News.", "Untuk mengikuti silakan klik tanda bintang.", "Follow us on
# Google News". A paragraph that mentions these in passing is longer than MAX_CALL_TO_ACTION_CHARS.
CALLS_TO_ACTION: tuple[str, ...] = (
    "google news", "klik tanda bintang", "klik ikon bintang", "click the star", "tap the star",
    "saluran whatsapp", "channel whatsapp", "whatsapp channel", "telegram channel", "follow kami", "ikuti kami",
    "follow us", "folgen sie uns", "suivez-nous", "síguenos", "unduh aplikasi", "download aplikasi",
    "download the app", "get the app", "laden sie die app",
)  # fmt: skip
MAX_CALL_TO_ACTION_CHARS = 120

# A run longer than this is prose, whatever it begins with.
MAX_HEADER_CHARS = 80
MAX_LINE_CHARS = 300

# Copyright lines and credits carry their mark anywhere in the line.
COPYRIGHT = re.compile(r"(?:^|\s)(?:©|\(c\)\s*\d{4}|copyright\s+(?:©\s*)?\d{4})", re.IGNORECASE)
# Indonesian articles end with the editors' initials in brackets: "(vyp/kna)", "(ant/mdk)", "(*)".
EDITOR_INITIALS = re.compile(r"^\(?\s*(?:[a-z]{2,4}(?:\s*/\s*[a-z]{2,4})+|\*)\s*\)?$", re.IGNORECASE)

# Reading-time notes ("4 min read", "Lesezeit: 2 Min.", "3 Min Lesezeit") in a short line: page furniture that
# a prose sentence never is.
READING_TIME = re.compile(
    r"\b\d+\s*(?:min(?:ute)?s?\.?|minuten?|menit)\s+(?:read|reading|lesezeit|de lecture|de lectura|baca|leestijd)\b"
    r"|\b(?:lesezeit|reading time|temps de lecture|tiempo de lectura|waktu baca)\s*:?\s*\d+",
    re.IGNORECASE,
)
MAX_READING_TIME_LINE = 90

# A dateline names a month beside digits: the month names the dateline parser knows, every language.
_MONTHS = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"  # 20/01/2022, 2022-01-20, 20.01.22
    r"|\b\d{1,2}\.?\s+(?:" + _MONTHS + r")\.?\s+\d{2,4}\b"  # 20 Januari 2022, 3. März 2024
    r"|\b(?:" + _MONTHS + r")\.?\s+\d{1,2},?\s+\d{4}\b"  # January 20, 2022
    r"|\b\d{1,2}[:.]\d{2}\s*(?:wib|wita|wit|uhr|am|pm|h)\b"  # 06:53 WIB, 14.30 Uhr
    r"|\b\d+\s+(?:jam|menit|hari|hours?|minutes?|days?|stunden?|minuten?|tagen?)\s+(?:lalu|ago)\b"
    r"|\b(?:vor)\s+\d+\s+(?:stunden?|minuten?|tagen?)\b",
    re.IGNORECASE,
)
# A dateline is short: "Kamis, 20 Januari 2022, 06:53 WIB | 1.229 Views", "Updated 3:04 PM EST, May 2, 2024".
MAX_DATELINE_CHARS = 90

_LEAD = r"^[\s\-–—•·*>»›|:\[(]*"


def _alternation(groups: Iterable[tuple[str, ...]]) -> str:
    phrases = sorted({phrase for group in groups for phrase in group}, key=len, reverse=True)
    # "Editor:" is also written "Editor :" (and French sets a space before every colon).
    return "|".join(re.escape(phrase).replace(":", r"\s*:") for phrase in phrases)


# A header is the phrase alone, give or take punctuation and a count ("Comments (12)").
_SECTION_HEADER = re.compile(
    _LEAD + "(?:" + _alternation(SECTION_HEADERS.values()) + r")\b[\s:.…!?»›\-–—\d()]*$", re.IGNORECASE
)
_SECTION_STEM = re.compile(_LEAD + "(?:" + _alternation([SECTION_HEADER_STEMS]) + r")\s+[^.!?]{1,30}$", re.IGNORECASE)
_CALL_TO_ACTION = re.compile(r"\b(?:" + _alternation([CALLS_TO_ACTION]) + r")\b", re.IGNORECASE)
_LINE_PREFIX = re.compile(_LEAD + "(?:" + _alternation(LINE_PREFIXES.values()) + ")", re.IGNORECASE)


def is_section_header(text: str) -> bool:
    """True for a short run that opens a related-articles or comments block."""
    if len(text) > MAX_HEADER_CHARS:
        return False
    return _SECTION_HEADER.match(text) is not None or _SECTION_STEM.match(text) is not None


# Every form of _DATE holds a digit. Most short runs have none, and finding that out is ten times cheaper
# than the search with all the month names (which took 5% of extraction on wcxb-dev and fundus).
_DIGIT = re.compile(r"\d")


def is_dateline(text: str) -> bool:
    """True for a short run that is a date, time or "2 jam lalu", give or take a label, a place or views."""
    return len(text) <= MAX_DATELINE_CHARS and _DIGIT.search(text) is not None and _DATE.search(text) is not None


def is_furniture_line(text: str) -> bool:
    """True for a line that is furniture wherever it stands: a "Baca juga:" link, a credit, a copyright."""
    if len(text) > MAX_LINE_CHARS:
        return False
    stripped = text.strip()
    # Every copyright form holds "©" or a year and every reading-time form a number: most lines have
    # neither, and the digit test spares them the two searches (a third of this function's time).
    digit = _DIGIT.search(stripped) is not None
    return (
        _LINE_PREFIX.match(stripped) is not None
        or ((digit or "©" in stripped) and COPYRIGHT.search(stripped) is not None)
        or EDITOR_INITIALS.match(stripped) is not None
        or (digit and len(stripped) <= MAX_READING_TIME_LINE and READING_TIME.search(stripped) is not None)
        or (len(stripped) <= MAX_CALL_TO_ACTION_CHARS and _CALL_TO_ACTION.search(stripped) is not None)
    )
