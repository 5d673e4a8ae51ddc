"""What a URL says about the page behind it, before or without looking at the page."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

# A slug of four or more words ("29-penerbangan-bandara-internasional-lombok-dibatalkan",
# "Polres.Lhokseumawe.Serahkan.Anggota") names one story; section and listing paths are one or two words.
_SLUG = re.compile(r"[^\W_]+(?:[-_.+][^\W_]+){3,}")
# A date in the path (/2015/11/04/, /2024/05/) is how most CMSs file articles.
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/[01]?\d/(?:[0-3]?\d/)?")
# A long number (/berita/527615/, A2026012914320005196) is a story id.
_STORY_ID = re.compile(r"(?:^|[/_-])[A-Za-z]?\d{5,}(?:$|[/_.-])")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)


# Schemes an extracted link may keep: pages carry `javascript:`, `data:` and app schemes in image and link
# attributes, which an article's fields, its exports and the reader must not pass on.
WEB_SCHEMES = frozenset({"http", "https"})


# What a URL that cannot be split ("http://[::1", an unclosed IPv6 bracket) reads as: no parts at all.
_NO_PARTS = urlsplit("")


def split_url(url: str) -> SplitResult:
    """`urlsplit`, but a URL it refuses (urllib raises ValueError on a malformed IPv6 host, which pages and
    callers do write) has empty parts rather than stopping the extraction."""
    try:
        return urlsplit(url)
    except ValueError:
        return _NO_PARTS


def join_url(base: str | None, reference: str) -> str | None:
    """`urljoin`, or None when either URL is malformed (see `split_url`)."""
    try:
        return urljoin(base or "", reference)
    except ValueError:
        return None


def web_url(base: str | None, reference: str | None) -> str | None:
    """`reference` resolved against `base`, or None when it is empty, malformed or not an http(s) URL."""
    if not reference or not reference.strip():
        return None
    resolved = join_url(base, reference.strip())
    if resolved is None:
        return None
    scheme = split_url(resolved).scheme.lower()
    # Without a base, a relative reference stays relative: keep it (it is no script).
    return resolved if scheme in WEB_SCHEMES or (not scheme and not base) else None


# Host labels that name a variant of the site, not the site: "www.", mobile "m.", Google's "amp.".
VARIANT_LABELS = frozenset({"www", "m", "amp"})


def site_host(url: str | None) -> str | None:
    """A URL's host (or a bare host name) in lower case without "www.": the site, whichever host variant
    served the page. None when there is none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def site_label(url: str | None) -> str | None:
    """The name a site's domain gives it: "rmol" for rmol.id, "bbc" for www.bbc.co.uk; None for none."""
    labels = [label for label in (site_host(url) or "").split(".") if label not in VARIANT_LABELS]
    if len(labels) < 2:
        return None
    # A short second-level label under a country code is a registry's ("co.uk", "com.au"), not the site's.
    return labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2]


def looks_like_article_url(url: str | None) -> bool:
    """True when the URL's path has the shape news sites give single stories."""
    if not url:
        return False
    path = split_url(url).path
    if _DATE_PATH.search(path) or _STORY_ID.search(path):
        return True
    segments = [segment for segment in path.split("/") if segment]
    return bool(segments) and any(_SLUG.fullmatch(_EXTENSION.sub("", segment)) for segment in segments[-2:])
