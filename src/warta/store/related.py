"""Related articles: other coverage of the same story, by any publisher, published around the same time, in
the same language (terms are stemmed per language, so other languages could not match anyway).

The article's most telling terms (frequent in its title and opening, rare in the store: TF-IDF) become one
"any of these" query, run through the full-text index within a time window. The index's candidates are then
scored by how much of those terms' weight they share with the article, so a candidate that shares one rare
word but nothing else falls below RELATED_MIN_SHARE and is not shown: related means the same story, not the
same vocabulary.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select

from warta.models import StoredArticle
from warta.search import analysis
from warta.search.query import Alternative, Clause, Query
from warta.store import fulltext
from warta.store.schema import articles

# Coverage of one story comes within days of each other.
RELATED_WINDOW = timedelta(days=7)
# The title says what the story is about; it counts as this many mentions of each of its terms.
TITLE_BOOST = 3
# The opening of the text, where news states its story; the rest adds detail, not topic. Candidates' leads
# are read back from the index as terms: about as many as there are words in LEAD_CHARS characters.
LEAD_CHARS = 1500
LEAD_TERMS = 250
# Terms in the query; candidates scored.
QUERY_TERMS = 10
CANDIDATES = 40
# Terms in more than this share of the articles in the language, and in more than COMMON_MIN_ARTICLES of
# them, say nothing about a story; leaving them out of the query also keeps it fast (each term's whole
# list of articles is scored).
COMMON_SHARE = 0.02
COMMON_MIN_ARTICLES = 50
# A candidate must share this much of the article's term weight, and this many of its terms, to count as
# related: one shared rare word (an essay on "cognitive" anything) is a coincidence, not a story.
RELATED_MIN_SHARE = 0.3
RELATED_MIN_TERMS = 3
# At most this many of the article's terms are weighed, its most frequent (the title's count thrice).
PROFILE_TERMS = 200
# Document frequencies and article counts move slowly: they are remembered this long, for this many terms.
STATISTICS_TTL = 600.0
STATISTICS_SIZE = 200_000


class Statistics:
    """Document frequencies and articles per language, remembered for STATISTICS_TTL seconds.

    Counting the articles that hold a common word reads that word's whole posting list (FTS5's vocabulary
    table counts, it does not store counts; PostgreSQL counts matches), which at 100,000 articles takes
    longer than the rest of the related-articles search together. Most of an article's terms are common
    words that the previous articles already looked up, so a shared, bounded memory answers most lookups.
    """

    def __init__(self, ttl: float = STATISTICS_TTL, size: int = STATISTICS_SIZE) -> None:
        self.ttl, self.size = ttl, size
        self._terms: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self._totals: dict[str | None, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def frequencies(self, connection: Connection, terms: Iterable[str]) -> dict[str, int]:
        now = time.monotonic()
        known: dict[str, int] = {}
        missing: list[str] = []
        with self._lock:
            for term in terms:
                hit = self._terms.get(term)
                if hit is not None and now - hit[0] < self.ttl:
                    known[term] = hit[1]
                else:
                    missing.append(term)
        found = fulltext.document_frequencies(connection, missing)
        with self._lock:
            for term in missing:
                known[term] = found.get(term, 0)
                self._terms[term] = (now, known[term])
                self._terms.move_to_end(term)
            while len(self._terms) > self.size:
                self._terms.popitem(last=False)
        return known

    def total(self, connection: Connection, language: str | None) -> int:
        now = time.monotonic()
        hit = self._totals.get(language)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        count = int(
            connection.execute(select(func.count()).select_from(articles).where(_in_language(language))).scalar_one()
        )
        self._totals[language] = (now, count)
        return count


def _in_language(language: str | None) -> Any:
    return articles.c.language == language if language else articles.c.language.is_(None)


@dataclass(frozen=True, slots=True)
class Related:
    article_id: int
    share: float  # of the article's term weight found in the related one, 0 to 1


def _profile(title: str | None, text: str, language: str | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for term in analysis.analyse(title or "", language):
        counts[term] += TITLE_BOOST
    counts.update(analysis.analyse(text[:LEAD_CHARS], language))
    # Digits alone and one-letter terms are dates, counts and initials, not topics.
    return Counter({term: n for term, n in counts.items() if len(term) > 1 and not term.isdigit()})


def _weights(
    connection: Connection, profile: Counter[str], total: int, statistics: Statistics
) -> dict[str, tuple[float, int]]:
    """Each term's TF-IDF weight and document frequency (the article itself included)."""
    frequencies = statistics.frequencies(connection, profile)
    weights: dict[str, tuple[float, int]] = {}
    for term, tf in profile.items():
        df = max(frequencies.get(term, 0), 1)
        if df > max(COMMON_SHARE * total, COMMON_MIN_ARTICLES):
            continue
        weights[term] = ((1 + math.log(tf)) * math.log(1 + (total - df + 0.5) / (df + 0.5)), df)
    return weights


def related(
    connection: Connection,
    article: StoredArticle,
    *,
    statistics: Statistics | None = None,
    limit: int = 6,
    window: timedelta = RELATED_WINDOW,
) -> list[Related]:
    """Articles related to `article`, most related first."""
    statistics = statistics if statistics is not None else Statistics()
    profile = Counter(dict(_profile(article.title, article.article.text, article.language).most_common(PROFILE_TERMS)))
    # Rarity is judged among articles in the article's language: in a store of mostly English, every
    # Japanese word is rare, and two Japanese articles on different stories would look alike.
    same_language = _in_language(article.language)
    weighted = _weights(connection, profile, statistics.total(connection, article.language), statistics)
    ranked = sorted(weighted, key=lambda term: (-weighted[term][0], term))
    # The share is measured against the article's strongest terms, those found in it alone included: in a
    # small store most terms are, and leaving them out would make any two articles look alike.
    strongest = ranked[:QUERY_TERMS]
    total_weight = sum(weighted[term][0] for term in strongest)
    chosen = [term for term in strongest if weighted[term][1] > 1]
    if len(chosen) < RELATED_MIN_TERMS or total_weight <= 0:
        return []
    query = Query((Clause(tuple(Alternative((term,)) for term in chosen)),))
    moment: datetime = article.published or article.first_seen_at
    condition = and_(
        same_language,
        articles.c.id != article.key,
        articles.c.published.between(moment - window, moment + window),
        articles.c.kind == "article",
    )
    found = fulltext.search(connection, query, condition, newest_first=False, limit=CANDIDATES, offset=0)
    if not found:
        return []
    candidate_ids = [article_id for article_id, _ in found]
    leads = fulltext.lead_terms(connection, candidate_ids, LEAD_TERMS)
    rows = connection.execute(
        select(articles.c.id, articles.c.title, articles.c.publisher_id).where(articles.c.id.in_(candidate_ids))
    )
    own_title = (article.title or "").casefold()
    own_publisher = article.publisher.id if article.publisher is not None else None
    scored: list[Related] = []
    titles: dict[int, str] = {}
    for row in rows:
        if row.publisher_id == own_publisher and (row.title or "").casefold() == own_title:
            continue  # the same article under another address, not other coverage
        shared = [term for term in chosen if term in leads.get(int(row.id), set())]
        share = sum(weighted[term][0] for term in shared) / total_weight
        if share >= RELATED_MIN_SHARE and len(shared) >= RELATED_MIN_TERMS:
            scored.append(Related(int(row.id), round(share, 4)))
            titles[int(row.id)] = (row.title or "").casefold().strip()
    scored.sort(key=lambda item: (-item.share, item.article_id))
    return _distinct_titles(scored, titles)[:limit]


def _distinct_titles(scored: Sequence[Related], titles: dict[int, str]) -> list[Related]:
    """One of each title: syndicated copies of one wire story say the same thing."""
    seen: set[str] = set()
    out: list[Related] = []
    for item in scored:
        key = titles.get(item.article_id, "")
        if key and key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out
