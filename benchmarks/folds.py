"""Site-disjoint folds: every page of one site (registered domain) falls in the same fold, in every set.

A figure that guides a decision is measured on sites the rule or model never saw: train on the other folds,
score this one. The fold of a site is a hash of its registered domain, so it does not depend on which sets
or how many pages are loaded, and a site that appears in two sets (a publisher in fundus and in wcxb-dev) is
held out of both at once.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from urllib.parse import urlsplit

FOLDS = 5

# trafilatura-eval names its files after the site ("kulinariaathome.com.mandelplätzchen.html"); the name
# stands in for a missing URL.
_HOST_IN_NAME = re.compile(r"^((?:[a-z0-9-]+\.)+[a-z]{2,})\.", re.IGNORECASE)


@cache
def _suffixes() -> object:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def registered_domain(host: str) -> str:
    """`news.detik.com` -> `detik.com`, `www.bbc.co.uk` -> `bbc.co.uk`; a host without one stays itself."""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    private = _suffixes().privatesuffix(host)  # type: ignore[attr-defined]
    return str(private) if private else host


def site_of(url: str | None, page_id: str) -> str:
    """The site a page belongs to: its URL's registered domain, else a host in its file name, else itself."""
    host = urlsplit(url).hostname if url else None
    if host:
        return registered_domain(host)
    match = _HOST_IN_NAME.match(page_id)
    if match:
        return registered_domain(match.group(1))
    return f"page:{page_id}"


def fold_of(site: str, folds: int = FOLDS) -> int:
    """The fold a site is held out in: a stable hash of its name."""
    digest = hashlib.sha256(site.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % folds
