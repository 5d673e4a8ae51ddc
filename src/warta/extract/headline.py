"""Choose the article's headline among the page's candidates and strip the site name from it."""

from __future__ import annotations

import re
from collections import Counter

# Separators between a headline and the site name in `<title>` and og:title ("Headline - Site", "Site | H").
# Tried only where a whitespace run starts, and possessive: a title of spaces cost a scan per space.
TITLE_SEPARATORS = re.compile(r"(?<!\s)\s++(?:[-|–—·•»:]|::)\s+")
# A headline shorter than this after stripping is probably the site name alone.
MIN_HEADLINE_CHARS = 10
# A site name this long or longer also marks a final segment that starts with it.
MIN_SITE_KEY = 6


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _typeset(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).split())


def strip_site_name(title: str, site_name: str | None, host: str | None) -> str:
    """Remove leading and trailing site-name segments from a title, keeping the rest verbatim."""
    cuts = [0]
    for match in TITLE_SEPARATORS.finditer(title):
        cuts.extend((match.start(), match.end()))
    cuts.append(len(title))
    if len(cuts) == 2:
        return title
    # Segments as (start, end) offsets into the original title.
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    names = {_key(n).replace(" ", "") for n in (site_name, host) if n}
    if host and host.count(".") >= 1:
        names.add(_key(host.removeprefix("www.").split(".")[0]).replace(" ", ""))

    def is_site(span: tuple[int, int], with_section: bool = False) -> bool:
        key = _key(title[span[0] : span[1]]).replace(" ", "")
        if not key or key in names:
            return True
        # At the end, the site's name with its section: "Headline - Kompas.com Regional".
        return with_section and any(len(name) >= MIN_SITE_KEY and key.startswith(name) for name in names)

    while len(spans) > 1 and is_site(spans[-1], with_section=True):
        spans.pop()
    while len(spans) > 1 and is_site(spans[0]):
        spans.pop(0)
    if len(spans) > 1 and not site_name:
        # No declared site name: the last segment of "Headline | Something" is usually the site.
        lengths = [end - start for start, end in spans]
        if max(lengths) >= MIN_HEADLINE_CHARS and lengths[-1] < max(lengths) / 2:
            spans.pop()
    kept = title[spans[0][0] : spans[-1][1]].strip()
    return kept if len(kept) >= MIN_HEADLINE_CHARS or len(kept) >= len(title) / 2 else title


def choose_headline(
    candidates: list[tuple[str, str]], h1: str | None, site_name: str | None, host: str | None
) -> tuple[str | None, str]:
    """Return the headline and its source.

    The visible `<h1>` wins when a declared title agrees with it, because sites put campaign wording into
    og:title and the site name into `<title>`; otherwise the most trusted declared title, stripped.
    """
    cleaned = [(source, strip_site_name(value, site_name, host)) for source, value in candidates]
    if h1:
        h1_key = _key(h1)
        for _source, value in cleaned:
            key = _key(value)
            if key and (key == h1_key or (len(h1_key) >= MIN_HEADLINE_CHARS and h1_key in key)):
                # The same words: the spelling most sources agree on, the visible one on a tie. A CMS that
                # drops the colon from every declared title has declared its headline without it.
                spellings = Counter(v for _s, v in cleaned if _key(v) == h1_key)
                spellings[h1] += 1
                best, votes = spellings.most_common(1)[0]
                # Quote and dash styles are typography, not spelling: the visible form keeps those.
                if _typeset(best) != _typeset(h1) and votes > spellings[h1]:
                    source = next(s for s, v in cleaned if v == best)
                    return best, source
                return h1, "dom:h1"
    if cleaned:
        source, value = cleaned[0]
        return value, source
    if h1:
        return h1, "dom:h1"
    return None, "none"
