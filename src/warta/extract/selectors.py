"""Selectors and tag sets the HTML path prunes and walks by, kept as data with the reason for each.

Tags, roles and attributes are matched by lexbor (selectolax) as CSS, in C. Class and id words are matched
in one pass over the elements that carry a class or id, with one trie-shaped regular expression: lexbor's
substring selectors cost a scan per word, which grows with every word these lists learn.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

# Elements that never hold article text. Removed with their content before anything else looks at the tree.
NEVER_CONTENT_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "map",
    "button",
    "input",
    "select",
    "textarea",
    "dialog",
    "head",
    "rt",  # ruby annotations (furigana) read aloud beside the base text, not as text of their own
    "rp",
)

# Hidden elements: not shown to a reader as the page loads (login dialogs, templates, mobile menus). A
# paywall that hides the rest of the article this way is the exception the second opinion in
# container._article_container catches.
HIDDEN = (
    "[hidden], [aria-hidden=true], [style*='display:none' i], [style*='display: none' i], "
    "[style*='visibility:hidden' i]"
)

# Landmarks that are usually furniture: site navigation, page header and footer, sidebars. Usually, not
# always: an article's own `<header>` can hold its standfirst, and some themes wrap the whole page in one.
# So these are dropped only when they read like navigation (see WEAK_* below), not on sight.
LANDMARKS = (
    "nav, aside, footer, header, menu, "
    "[role=navigation], [role=banner], [role=contentinfo], [role=complementary], [role=search], "
    "[role=dialog], [role=alertdialog], [role=menu], [role=menubar], [role=toolbar], [role=tablist]"
)

# Of those, the page's header, footer and sidebars are strong furniture when they stand outside the
# article's own markup (<article>, <main>, the marked body): a site footer or a sidebar of teasers is never
# part of the article, however much prose it holds. Inside the article they are its own (a byline header,
# a pull-quote aside) and stay weak. Navigation is link-dense and needs no such rule.
PAGE_LANDMARKS = "header, footer, aside, [role=banner], [role=contentinfo], [role=complementary]"
ARTICLE_SCOPES = frozenset({"article", "main"})

# Words in class and id attributes that mark furniture on sites of every language and CMS, matched as
# case-insensitive substrings (see `classify`). Each is distinctive enough that a match is furniture
# unless it wraps most of the page (MAX_FURNITURE_SHARE) or the article body (CONTENT_HINTS).
STRONG_CLASS_WORDS: tuple[str, ...] = (
    "share",  # share bars, "sharing" widgets
    "social",  # follow-us icons
    "comment",  # comment threads and forms
    "disqus",
    "related",  # related-article blocks
    "recommend",
    "newsletter",
    "subscribe",
    "signup",
    "sign-in",  # sign-in walls and account prompts
    "signin",
    "regwall",
    "donation",  # "support our journalism" boxes
    "advert",
    "sponsor",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "popup",
    "modal",
    "promo",
    "outbrain",
    "taboola",
    "skip-link",
    "skiplink",
    "caption",  # photo captions outside <figcaption>: they belong to the image, not the body
    "img__description",  # the same under other names
    "image-description",
    "photo-description",
    "lightbox",  # an overlay gallery repeating the article's images and captions
    "byline",  # read by metadata first; in the body it duplicates the author line
    "author-bio",
    "author-box",
    "authorbox",
    "tag-list",
    "taglist",
    "read-more",
    "readmore",
    "baca-juga",  # Indonesian "read also" boxes
    "bacajuga",
    "terkait",  # Indonesian "related"
    "most-popular",
    "mostpopular",
    "print-only",
    "visually-hidden",
    "sr-only",
    "screen-reader",
)

# Longer words that contain a furniture word but name content. Substring matching needs these exceptions.
FALSE_FRIENDS: dict[str, tuple[str, ...]] = {
    "comment": ("commentary",),  # opinion pieces: "article-type-commentary"
    "advert": ("advertorial",),  # a sponsored article is still the article; also a common script hook
    "subscribe": ("subscriber",),  # "subscriber-content", "for-subscribers": the paywalled body itself
    "promo": ("promotion",),
}

# Words that often mark furniture but also occur on content wrappers in common themes ("elementor-widget",
# "layout--with-sidebar", "menu-open"): these are dropped only when the element reads like navigation.
WEAK_CLASS_WORDS: tuple[str, ...] = (
    "sidebar",
    "menu",
    "navbar",
    "navigation",
    "widget",
    "banner",
    "masthead",
    "toolbar",
    "site-header",
    "site-footer",
    "pagination",
    "pager",
    "trending",
)

# Exact class tokens for ad slots: "ad" and "ads" are too short for substring matching.
AD_CLASS_TOKENS: tuple[str, ...] = ("ad", "ads", "advertisement", "ad-slot", "adsbygoogle", "dfp", "gpt-ad")


# Exact class tokens of CSS frameworks that hide an element (Bootstrap, Tailwind, Bulma, Foundation)...
HIDDEN_CLASS_TOKENS: tuple[str, ...] = ("hidden", "d-none", "is-hidden", "hide", "invisible")
# ... unless another token shows it again at some screen width ("hidden md:block", "d-none d-lg-block").
_SHOWN_AGAIN = re.compile(
    r":(?:block|flex|grid|inline|table|contents|visible)|^d-(?:sm|md|lg|xl|xxl)-(?!none)|^visible-|show-for-"
)

# Strong furniture found by attributes alone, and the weak landmarks; both run as CSS inside lexbor.
# Forms (newsletter sign-ups, contact and comment forms) are strong too; an ASP.NET page wraps everything in
# one <form>, which MAX_FURNITURE_SHARE lets through. Not `[itemprop=comment]`: schema.org marks the replies
# of a forum thread that way, and there they are the content; an article's comment section is caught by
# its "comment" class words.
STRONG_FURNITURE = HIDDEN + ", form"
WEAK_FURNITURE = LANDMARKS

# Marks of the article body, across CMSs and languages. A furniture match that is or encloses one of these
# is a wrapper of the article ("js-dynamic-advertorial bo-article-text"), so it is not dropped, and the body
# walk favours these elements as the container.
CONTENT_CLASS_WORDS: tuple[str, ...] = (
    "article-body",
    "articlebody",
    "article__body",
    "article-content",
    "article__content",
    "articlecontent",
    "article-text",
    "article__text",
    "articletext",
    "entry-content",
    "entry__content",
    "post-content",
    "post__content",
    "postcontent",
    "post-body",
    "post__body",
    "story-body",
    "story__body",
    "storybody",
    "story-content",
    "storycontent",
    "news-body",
    "news-content",
    "content-body",
    "body-text",
    "bodytext",
    "detail-text",
    "detail__body",  # detik.com and other Indonesian CMSs
    "detail-content",
    "read__content",  # kompas.com
    "isi-berita",  # Indonesian "news content"
    "entry-body",
    "single-content",
    "story-text",
    "article-main",
    "article-detail",
    "news-detail",
    "body-content",
    "rich-text",  # design systems and site builders
    "richtext",
    "markdown-body",  # rendered Markdown (GitHub, static sites)
    "wysiwyg",  # editor output
    "field--name-body",  # Drupal's body field
    "field-name-body",
)
CONTENT_HINTS = "[itemprop=articleBody i]"
# Scripts that carry HTML for the page's own script to render.
BODY_TEMPLATES = "script[type*=template i], script[type='text/html' i]"

# Elements worth reading the class and id of: lexbor finds them, `classify` reads them.
CLASSED = "[class], [id]"


class ClassVerdict(NamedTuple):
    strong: bool  # a STRONG_CLASS_WORDS, AD_CLASS_TOKENS or HIDDEN_CLASS_TOKENS match
    weak: bool  # a WEAK_CLASS_WORDS match
    hint: bool  # a CONTENT_CLASS_WORDS match


def _trie_pattern(words: Iterable[str]) -> str:
    """An alternation of `words` factored into a trie, longest match first.

    Written by hand because the standard library has no multi-pattern matcher: Python's regex engine tries
    a flat alternation one word at a time at every position, while the trie shares prefixes, which makes
    this single scan several times faster than one CSS substring selector per word in lexbor.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


_FRIEND_OF = {friend: word for word, friends in FALSE_FRIENDS.items() for friend in friends}
_WORD_KIND = {
    **dict.fromkeys(STRONG_CLASS_WORDS, "strong"),
    **dict.fromkeys(WEAK_CLASS_WORDS, "weak"),
    **dict.fromkeys(CONTENT_CLASS_WORDS, "hint"),
    **dict.fromkeys(_FRIEND_OF, "friend"),
}
_CLASS_WORDS = re.compile(_trie_pattern(_WORD_KIND))
_AD_TOKENS = frozenset(AD_CLASS_TOKENS)
_HIDDEN_TOKENS = frozenset(HIDDEN_CLASS_TOKENS)


# Themes repeat the same class strings on every element of a kind and every page of a site.
@functools.lru_cache(maxsize=1 << 12)
def classify(class_attr: str | None, id_attr: str | None) -> ClassVerdict:
    """Judge an element by the words in its class and id, case-insensitively, as substrings.

    A false friend ("commentary") in an attribute cancels its furniture word ("comment") in that attribute.
    """
    strong = weak = hint = False
    for value in (class_attr, id_attr):
        if not value:
            continue
        found = {match for match in _CLASS_WORDS.findall(value.lower()) if match in _WORD_KIND}
        cancelled = {_FRIEND_OF[word] for word in found if word in _FRIEND_OF}
        kinds = {_WORD_KIND[word] for word in found - cancelled}
        strong = strong or "strong" in kinds
        weak = weak or "weak" in kinds
        hint = hint or "hint" in kinds
    if class_attr:
        tokens = class_attr.lower().split()
        hidden = not _HIDDEN_TOKENS.isdisjoint(tokens) and not any(_SHOWN_AGAIN.search(token) for token in tokens)
        strong = strong or hidden or not _AD_TOKENS.isdisjoint(tokens)
    if id_attr and id_attr.strip().lower() in _AD_TOKENS:
        strong = True
    return ClassVerdict(strong, weak, hint)


# A match holding more than this share of the page's text is a wrapper of everything, not furniture.
MAX_FURNITURE_SHARE = 0.5
# A weak match is dropped when this share of its text sits in links (menus, link lists, mega-footers) ...
WEAK_MIN_LINK_DENSITY = 0.3
# ... or when it holds next to nothing (a logo line, "Menu", a copyright line in a footer).
WEAK_MAX_CHARS = 100

# Tags whose content flows inline: their text joins the surrounding run instead of starting a block.
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
        "font", "i", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp",
        "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "img",
        "picture", "source",
    }
)  # fmt: skip

# Elements that are not inline but sit inside an inline one: they break the inline element's text into
# runs, so it cannot be read in one call. Only those whose parent is inline are asked for: the highest
# block inside an inline element is one, and finds the inline chain above it, and a block under a block
# adds nothing (a child test is one step for lexbor, a descendant test a search of all the ancestors).
BLOCKS_IN_INLINE = f":is({', '.join(sorted(INLINE_TAGS))}) > :not({', '.join(sorted(INLINE_TAGS))})"

# Block tags that give their runs a kind in the body; every other non-inline tag is a neutral container.
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
QUOTE_TAGS = frozenset({"blockquote"})
LIST_ITEM_TAGS = frozenset({"li", "dd", "dt"})
PREFORMATTED_TAGS = frozenset({"pre"})

# A table row whose cells hold only inline content is one run, its cells joined by CELL_SEPARATOR: a data
# table then reads as rows, as a reader sees it, and not as a scatter of one-number lines that look like
# labels and repeat. A cell holding blocks or breaks (a layout table around the article) is walked as a
# container, so the paragraphs inside it stay paragraphs.
ROW_TAGS = frozenset({"tr"})
CELL_TAGS = frozenset({"td", "th"})
CELL_SEPARATOR = " | "
BLOCKS_IN_CELL = f":is(td, th) :not({', '.join(sorted(INLINE_TAGS))})"

# The credit of a figure when it has an element of its own.
CREDIT_MARKS = "[class*=credit i], [class*=copyright i], [class*=photographer i], [class*=fotograf i]"

# Tags skipped by the body walk: captions belong to images, not to the body text.
CAPTION_TAGS = frozenset({"figcaption"})


# ------------------------------------------------------------------------------------ marks for the scorer
# Each run carries the marks of the block elements around it, as bits (see runs.Run.ancestry): what the
# learned scorer reads of the page's structure. Tags first, then the rules' own verdicts, then groups of
# class and id words. The groups are broader than the furniture lists above: the rules must be sure before
# they drop anything, while the model only learns how much each group tells, across sites and languages.
TAG_MARKS: dict[str, int] = {
    "article": 1 << 0,
    "main": 1 << 1,
    "section": 1 << 2,
    "header": 1 << 3,
    "footer": 1 << 4,
    "aside": 1 << 5,
    "nav": 1 << 6,
    "form": 1 << 7,
    "figure": 1 << 8,
    "ul": 1 << 9,
    "ol": 1 << 9,
    "dl": 1 << 9,
    "li": 1 << 10,
    "dd": 1 << 10,
    "dt": 1 << 10,
    "table": 1 << 11,
    "p": 1 << 12,
    "blockquote": 1 << 13,
    **dict.fromkeys(HEADING_TAGS, 1 << 14),
    "div": 1 << 15,
    "td": 1 << 16,
    "th": 1 << 16,
}
MARK_STRONG = 1 << 17  # a strong furniture match (selectors or class words)
MARK_WEAK = 1 << 18  # a weak one: landmarks, "sidebar", "widget"
MARK_HINT = 1 << 19  # the page's mark of its article body
FIRST_WORD_MARK = 20
# Groups of class/id words, matched as lower-case substrings.
CLASS_WORD_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nav", ("nav", "menu", "breadcrumb", "pagination", "pager", "skip")),
    ("social", ("share", "social", "follow", "whatsapp", "facebook", "twitter")),
    ("related", ("related", "recommend", "popular", "trending", "more", "terkait", "lainnya", "similar", "next")),
    ("comment", ("comment", "reply", "discuss", "disqus", "respon", "komentar")),
    ("meta", ("byline", "author", "date", "time", "meta", "info", "tag", "categor", "label", "penulis", "editor")),
    ("media", ("caption", "credit", "figure", "photo", "image", "img", "gallery", "video", "media", "thumb")),
    ("ad", ("advert", "sponsor", "promo", "banner", "dfp", "adsense", "iklan", "outbrain", "taboola")),
    ("content", ("content", "article", "post", "story", "body", "text", "entry", "detail", "berita", "isi")),
    ("title", ("title", "headline", "heading", "judul")),
    ("lead", ("lead", "intro", "summary", "excerpt", "standfirst", "dek", "abstract", "description")),
    ("aside", ("sidebar", "widget", "aside", "rail", "box", "card", "teaser", "list")),
    ("footer", ("footer", "copyright", "legal", "bottom", "newsletter", "subscribe", "signup", "cookie")),
)
_GROUP_BITS: dict[str, int] = {}
for _index, (_name, _group_words) in enumerate(CLASS_WORD_GROUPS):
    for _word in _group_words:
        _GROUP_BITS[_word] = _GROUP_BITS.get(_word, 0) | 1 << (FIRST_WORD_MARK + _index)
# One scan finds, at every position, the longest group word starting there (a lookahead, so matches may
# overlap); the words that are prefixes of it match there too, so each word carries their bits as well.
# Exactly the marks of one search per group, in 60% of the time (the searches took 5% of extraction).
_WORD_MARKS: dict[str, int] = {
    word: functools.reduce(operator.or_, (bits for other, bits in _GROUP_BITS.items() if word.startswith(other)))
    for word in _GROUP_BITS
}
_GROUP_WORDS = re.compile(f"(?=({_trie_pattern(_GROUP_BITS)}))")


@functools.lru_cache(maxsize=1 << 12)
def class_marks(class_attr: str | None, id_attr: str | None) -> int:
    """The CLASS_WORD_GROUPS marks of an element's class and id attributes."""
    value = f"{class_attr or ''} {id_attr or ''}".lower()
    marks = 0
    for word in _GROUP_WORDS.findall(value):
        marks |= _WORD_MARKS.get(word, 0)
    return marks
