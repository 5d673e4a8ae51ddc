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
RELATED_MIN_SHARE = 0.3


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


def _weights(connection: Connection, profile: Counter[str], total: int) -> dict[str, tuple[float, int]]:
    """Each term's TF-IDF weight and document frequency (the article itself included)."""
    frequencies = index.document_frequencies(connection, profile)
    weights: dict[str, tuple[float, int]] = {}
    for term, tf in profile.items():
        df = max(frequencies.get(term, 0), 1)
        if total >= MIN_ARTICLES_FOR_COMMON and df > COMMON_SHARE * total:
            continue
        weights[term] = ((1 + math.log(tf)) * math.log(1 + (total - df + 0.5) / (df + 0.5)), df)
    return weights


def related(
    connection: Connection, article: Any, *, limit: int = 6, window: timedelta = RELATED_WINDOW
) -> list[Related]:
    """Articles related to `article` (a row of `articles`), most related first."""
    profile = _profile(article.title, article.text, article.language)
    # Rarity is judged among articles in the article's language: in a store of mostly English, every
    # Japanese word is rare, and two Japanese articles on different stories would look alike.
    same_language = articles.c.language == article.language if article.language else articles.c.language.is_(None)
    total = int(connection.execute(select(func.count()).select_from(articles).where(same_language)).scalar_one())
    weighted = _weights(connection, profile, total)
    ranked = sorted(weighted, key=lambda term: (-weighted[term][0], term))
    # The share is measured against the article's strongest terms, those found in it alone included: in a
    # small store most terms are, and leaving them out would make any two articles look alike.
    total_weight = sum(weighted[term][0] for term in ranked[:QUERY_TERMS])
    chosen = [term for term in ranked if weighted[term][1] > 1][:QUERY_TERMS]
    if not chosen or total_weight <= 0:
        return []
    query = Query((Clause(tuple((term,) for term in chosen)),))
    moment: datetime = article.published or article.first_seen_at
    condition = and_(
        same_language,
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
    own_title = (article.title or "").casefold()
    scored: list[Related] = []
    titles: dict[int, str] = {}
    for row in rows:
        if row.publisher_id == article.publisher_id and (row.title or "").casefold() == own_title:
            continue  # the same article under another address, not other coverage
        theirs = set(_profile(row.title, row.text, row.language))
        share = min(1.0, sum(weighted[term][0] for term in chosen if term in theirs) / total_weight)
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
