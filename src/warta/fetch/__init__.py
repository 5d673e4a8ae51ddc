"""Polite, safe HTTP fetching for following publishers, with every response archived to WARC.

>>> from warta.fetch import Fetcher, FetchSettings, WarcArchive
>>> with WarcArchive("archive/") as archive:  # doctest: +SKIP
...     async with Fetcher(FetchSettings(contact="crawl@example.org"), archive=archive) as fetcher:
...         page = await fetcher.fetch("https://example.org/news/1")

Modules: `client` (the fetcher and its redirect and retry loop), `politeness` (per-host spacing and
pauses), `robots` (robots.txt policy and cache), `guard` (URL and address checks), `retry` (Retry-After,
backoff), `kinds` (what each kind of request accepts), `archive` (WARC), `reasons` (failure codes),
`settings` (the knobs).
"""

from warta.fetch.archive import Exchange, WarcArchive
from warta.fetch.client import Fetcher
from warta.fetch.guard import AddressGuard
from warta.fetch.reasons import FetchFailure, Reason
from warta.fetch.settings import FetchSettings

__all__ = [
    "AddressGuard",
    "Exchange",
    "FetchFailure",
    "FetchSettings",
    "Fetcher",
    "Reason",
    "WarcArchive",
]
