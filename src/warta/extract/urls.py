"""What a URL says about the page behind it, before or without looking at the page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A slug of four or more words ("29-penerbangan-bandara-internasional-lombok-dibatalkan",
# "Polres.Lhokseumawe.Serahkan.Anggota") names one story; section and listing paths are one or two words.
_SLUG = re.compile(r"[^\W_]+(?:[-_.+][^\W_]+){3,}")
# A date in the path (/2015/11/04/, /2024/05/) is how most CMSs file articles.
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}/[01]?\d/(?:[0-3]?\d/)?")
# A long number (/berita/527615/, A2026012914320005196) is a story id.
_STORY_ID = re.compile(r"(?:^|[/_-])[A-Za-z]?\d{5,}(?:$|[/_.-])")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)


def looks_like_article_url(url: str | None) -> bool:
    """True when the URL's path has the shape news sites give single stories."""
    if not url:
        return False
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    if _DATE_PATH.search(path) or _STORY_ID.search(path):
        return True
    segments = [segment for segment in path.split("/") if segment]
    return bool(segments) and any(_SLUG.fullmatch(_EXTENSION.sub("", segment)) for segment in segments[-2:])
