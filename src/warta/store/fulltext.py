"""The full-text index of the stored articles: SQLite FTS5 on the embedded store, PostgreSQL text search on
the server store, behind one set of functions.

Both databases receive terms that `analysis` has already produced, so they agree on what matches:
- SQLite: an FTS5 table `article_search` (title, body, and the article's language in `lang`), its rowid
  the article's id, and an `fts5vocab` view of it (`article_search_terms`) for document frequencies. Its
  tokeniser only splits on the spaces between the terms (letters, digits and marks are word characters, so
  Indic vowel signs stay in words).
- PostgreSQL: a table `article_search` (article_id, document, lead) with a GIN index on the document, a
  `tsvector` built by casting a literal: lexemes, positions and weights exactly as given, nothing re-parsed,
  and the language as one more lexeme ("=id"). `lead` is the same for the title and the body's first
  RANK_TERMS terms.

Ranking is each database's own: BM25 on SQLite, `ts_rank` on PostgreSQL; the title counts more than the body
in both. PostgreSQL computes the rank of every match before it can take the best, and ranking whole documents
means reading each from TOAST (7 KB on average): so it ranks each article's lead, which fits in the table's
own row, by any of the query's terms (`Query.rank_tsquery`, without the language marks and the structure that
decide what matches). At 100,000 articles, a word in half of them took 1.6 s ranked by `ts_rank_cd` over the
documents with the full query, and 0.16 s this way. News states its subject in the title and first paragraphs;
an article that names the words only further down ranks after those that lead with them, newest first.
SQLite's index holds what BM25 needs, so it ranks whole documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, cast, column, func, literal_column, select, table, text
from sqlalchemy.dialects import postgresql

from warta.search import analysis
from warta.search.query import LANGUAGE_MARK, Query, lexeme
from warta.store.schema import articles

# BM25 column weights on SQLite (title, body); on PostgreSQL the title's lexemes are weighted A and the
# body's D, which `ts_rank` weighs 1.0 and 0.1 by default: the same preference, in its own scale.
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
# Body terms in the lead that PostgreSQL ranks by (see the module docstring): about the first two paragraphs.
RANK_TERMS = 150
# PostgreSQL keeps positions up to 16,383 and one tsvector under 1 MB: long texts are cut to this many terms.
MAX_TERMS = 16_000
# Counting every match of a common word is slow and nobody reads past the first pages: totals stop here.
COUNT_CAP = 10_000
# Document frequencies on PostgreSQL are counted up to here: past it, a term is common, whatever its count.
FREQUENCY_CAP = 5_000

_SQLITE_TABLE = table("article_search", column("rowid"), column("title"), column("body"))
_POSTGRES_TABLE = table("article_search", column("article_id"), column("document"), column("lead"))

SQLITE_DDL = (
    # The tokeniser keeps letters, digits, private-use characters and combining marks inside a term; the
    # terms come analysed, so it has nothing else to do (no folding, no accent removal).
    "CREATE VIRTUAL TABLE article_search USING fts5(title, body, lang, "
    "tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")",
    "CREATE VIRTUAL TABLE article_search_terms USING fts5vocab(article_search, 'row')",
)
POSTGRES_DDL = (
    "CREATE TABLE article_search (article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, "
    "document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_article_search_document ON article_search USING GIN (document)",
)


# The language of articles that have none: a code no language has, so a stem never matches there.
NO_LANGUAGE = "und"


@dataclass(frozen=True, slots=True)
class Document:
    """An article's analysed title and body, and its language (stems are matched in their language only)."""

    title: list[str]
    body: list[str]
    language: str


def document(title: str | None, body: str, language: str | None) -> Document:
    title_terms = analysis.analyse(title or "", language)
    body_terms = analysis.analyse(body, language)[: max(0, MAX_TERMS - len(title_terms))]
    return Document(title_terms, body_terms, (language or NO_LANGUAGE).lower())


def tsvector(doc: Document, body_terms: int | None = None) -> str:
    """The document as a `tsvector` literal; with `body_terms`, only the title and that many body terms."""
    positions: dict[str, list[str]] = defaultdict(list)
    for i, term in enumerate(doc.title, start=1):
        positions[term].append(f"{i}A")
    for i, term in enumerate(doc.body[:body_terms], start=len(doc.title) + 1):
        positions[term].append(str(i))
    lexemes = [lexeme(term) + ":" + ",".join(at) for term, at in positions.items()]
    # The language as a lexeme without position: queries restrict stems to it (see `query.LANGUAGE_MARK`).
    lexemes.append(lexeme(LANGUAGE_MARK + doc.language))
    return " ".join(lexemes)


def lead_tsvector(doc: Document) -> str:
    """What PostgreSQL ranks by: the title and the first RANK_TERMS terms of the body."""
    return tsvector(doc, RANK_TERMS)


def write(connection: Connection, article_id: int, doc: Document, *, replace: bool) -> None:
    """Index (or re-index) one article, inside the caller's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "INSERT INTO article_search (article_id, document, lead) "
                "VALUES (:id, CAST(:doc AS tsvector), CAST(:lead AS tsvector)) "
                "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document, lead = excluded.lead"
            ),
            {"id": article_id, "doc": tsvector(doc), "lead": lead_tsvector(doc)},
        )
        return
    if replace:
        connection.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})
    connection.execute(
        text("INSERT INTO article_search (rowid, title, body, lang) VALUES (:id, :title, :body, :lang)"),
        {"id": article_id, "title": " ".join(doc.title), "body": " ".join(doc.body), "lang": doc.language},
    )


def create(connection: Connection) -> None:
    """Create the index's tables as they first were (migration 0002; 0009 adds PostgreSQL's `lead`)."""
    for statement in POSTGRES_DDL if connection.dialect.name == "postgresql" else SQLITE_DDL:
        connection.execute(text(statement))


def _match(connection: Connection, query: Query) -> tuple[Any, Any, ColumnElement[Any]]:
    """The join from the index to the articles, the match condition, and the rank (smaller is better)."""
    if connection.dialect.name == "postgresql":
        # The planner does not price reading each document out of TOAST to test it: for a word in half the
        # store it scans the table (or walks the primary key, under a LIMIT) and tests every document, 0.6 to
        # 1.4 s at 100,000 articles, where the GIN index's bitmap takes 0.05 to 0.15 s. So, for this
        # transaction, matches come from bitmaps only.
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        connection.execute(text("SET LOCAL enable_indexscan = off"))
        tsquery = cast(bindparam("tsquery", query.tsquery()), postgresql.TSQUERY)
        ranked = cast(bindparam("rank_tsquery", query.rank_tsquery()), postgresql.TSQUERY)
        joined = _POSTGRES_TABLE.join(articles, articles.c.id == _POSTGRES_TABLE.c.article_id)
        return joined, _POSTGRES_TABLE.c.document.op("@@")(tsquery), -func.ts_rank(_POSTGRES_TABLE.c.lead, ranked)
    joined = _SQLITE_TABLE.join(articles, articles.c.id == _SQLITE_TABLE.c.rowid)
    condition = literal_column("article_search").op("MATCH")(bindparam("match", query.fts5()))
    return joined, condition, func.bm25(literal_column("article_search"), TITLE_WEIGHT, BODY_WEIGHT)


def search(
    connection: Connection, query: Query, condition: Any, *, newest_first: bool, limit: int, offset: int
) -> list[tuple[int, float]]:
    """Ids and ranks of the articles matching `query` and `condition` (over `articles`), best first."""
    joined, match, rank = _match(connection, query)
    statement = select(articles.c.id, rank.label("rank")).select_from(joined).where(match, condition)
    if newest_first:
        statement = statement.order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
    else:
        statement = statement.order_by(rank, articles.c.id.desc())
    rows = connection.execute(statement.limit(limit).offset(offset))
    return [(int(row.id), float(row.rank)) for row in rows]


def count(connection: Connection, query: Query, condition: Any, cap: int = COUNT_CAP) -> int:
    """How many articles match, counted up to `cap`."""
    joined, match, _ = _match(connection, query)
    matching = select(articles.c.id).select_from(joined).where(match, condition).limit(cap).subquery()
    return int(connection.execute(select(func.count()).select_from(matching)).scalar_one())


def lead_terms(connection: Connection, ids: Iterable[int], body_terms: int) -> dict[int, set[str]]:
    """The indexed terms of each article's title and the first `body_terms` terms of its body, read back
    from the index rather than analysing the articles' text again."""
    wanted = list(ids)
    if not wanted:
        return {}
    if connection.dialect.name == "postgresql":
        # Positions number the title's terms first, then the body's: a term whose first position falls in
        # the lead is in the lead (a long title leaves a little less of the body, which does not matter).
        statement = text(
            "SELECT s.article_id AS id, array_agg(t.lexeme) AS terms FROM article_search s, "
            "unnest(s.document) AS t(lexeme, positions, weights) "
            "WHERE s.article_id IN :ids AND t.positions[1] <= :lead GROUP BY s.article_id"
        ).bindparams(bindparam("ids", expanding=True))
        rows = connection.execute(statement, {"ids": wanted, "lead": body_terms + 30})
        return {int(row.id): set(row.terms) for row in rows}
    statement = text("SELECT rowid AS id, title, body FROM article_search WHERE rowid IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    rows = connection.execute(statement, {"ids": wanted})
    return {int(row.id): {*row.title.split(), *row.body.split(" ", body_terms)[:body_terms]} for row in rows}


def document_frequencies(connection: Connection, terms: Iterable[str]) -> dict[str, int]:
    """In how many articles each term occurs (on PostgreSQL, counted up to FREQUENCY_CAP)."""
    wanted = sorted(set(terms))
    if not wanted:
        return {}
    if connection.dialect.name == "postgresql":
        statement = text(
            "SELECT t.term, (SELECT count(*) FROM (SELECT 1 FROM article_search s "
            "WHERE s.document @@ CAST(quote_literal(t.term) AS tsquery) LIMIT :cap) AS hits) AS doc "
            "FROM unnest(CAST(:terms AS text[])) AS t(term)"
        )
        rows = connection.execute(statement, {"terms": wanted, "cap": FREQUENCY_CAP})
    else:
        statement = text("SELECT term, doc FROM article_search_terms WHERE term IN :terms").bindparams(
            bindparam("terms", expanding=True)
        )
        rows = connection.execute(statement, {"terms": wanted})
    return {str(row.term): int(row.doc) for row in rows}
