"""Related articles: other coverage of the same story, by any publisher, published around the same time.

The article's most telling terms (frequent in its title and opening, rare in the store: TF-IDF) become one
"any of these" query, run through the full-text index within a time window. The index's candidates are then
scored by how much of those terms' weight they share with the article, so a candidate that shares one rare
word but nothing else falls below RELATED_MIN_SHARE and is not shown: related means the same story, not the
same vocabulary.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select

from warta.search import analysis, index
from warta.search.query import Clause, Query
from warta.store.schema import articles

# Coverage of one story comes within days of each other.
RELATED_WINDOW = timedelta(days=7)
# The title says what the story is about; it counts as this many mentions of each of its terms.
TITLE_BOOST = 3
# The opening of the text, where news states its story; the rest adds detail, not topic.
LEAD_CHARS = 1500
# Terms in the query; candidates scored.
QUERY_TERMS = 12
CANDIDATES = 40
# Terms in more than this share of all articles say nothing about the story (once the store has enough).
COMMON_SHARE = 0.08
MIN_ARTICLES_FOR_COMMON = 50
# A candidate must share this much of the article's term weight to count as related.
RELATED_MIN_SHARE = 0.25


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


def _weights(connection: Connection, profile: Counter[str], total: int) -> dict[str, float]:
    frequencies = index.document_frequencies(connection, profile)
    weights: dict[str, float] = {}
    for term, tf in profile.items():
        df = frequencies.get(term, 0)
        if df <= 1 and total > 1:
            continue  # found in this article alone: nothing to relate by
        if total >= MIN_ARTICLES_FOR_COMMON and df > COMMON_SHARE * total:
            continue
        weights[term] = (1 + math.log(tf)) * math.log(1 + (total - df + 0.5) / (df + 0.5))
    return weights


def related(
    connection: Connection, article: Any, *, limit: int = 6, window: timedelta = RELATED_WINDOW
) -> list[Related]:
    """Articles related to `article` (a row of `articles`), most related first."""
    profile = _profile(article.title, article.text, article.language)
    total = int(connection.execute(select(func.count()).select_from(articles)).scalar_one())
    weights = _weights(connection, profile, total)
    chosen = sorted(weights, key=lambda term: (-weights[term], term))[:QUERY_TERMS]
    if not chosen:
        return []
    query = Query((Clause(tuple((term,) for term in chosen)),))
    moment: datetime = article.published or article.first_seen_at
    condition = and_(
        articles.c.id != article.id,
        articles.c.published.between(moment - window, moment + window),
        articles.c.kind == "article",
    )
    found = index.search(connection, query, condition, newest_first=False, limit=CANDIDATES, offset=0)
    if not found:
        return []
    rows = connection.execute(
        select(articles.c.id, articles.c.title, articles.c.text, articles.c.language, articles.c.publisher_id).where(
            articles.c.id.in_([article_id for article_id, _ in found])
        )
    )
    total_weight = sum(weights[term] for term in chosen)
    own_title = (article.title or "").casefold()
    scored: list[Related] = []
    titles: dict[int, str] = {}
    for row in rows:
        if row.publisher_id == article.publisher_id and (row.title or "").casefold() == own_title:
            continue  # the same article under another address, not other coverage
        theirs = set(_profile(row.title, row.text, row.language))
        share = sum(weights[term] for term in chosen if term in theirs) / total_weight
        if share >= RELATED_MIN_SHARE:
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
