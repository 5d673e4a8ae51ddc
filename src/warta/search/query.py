"""A search query as people type it, parsed once and written out for either database.

The syntax is the one search boxes have taught everyone: words must all match, "quoted words" must match as
a phrase, and a leading minus excludes a word or phrase. Everything else (operators, brackets, field names)
is read as words, so no input is a syntax error. The query's language is not known, so each word matches
as typed in any article, and as its stem in each of the store's languages in articles of that language
(`analysis.term_variants`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from warta.search import analysis

# A clause: an optional minus, then a quoted phrase (closed or running to the end) or a bare word.
_CLAUSE = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
# On PostgreSQL an article's language is a lexeme of its document: this mark, then the code ("=id"). No
# word can be indexed as it, since words hold letters, digits and marks only.
LANGUAGE_MARK = "="
# Clauses beyond this are ignored: a pasted paragraph should not become a query of hundreds of terms.
MAX_CLAUSES = 16


def lexeme(term: str) -> str:
    """A term quoted as a lexeme of a PostgreSQL `tsvector` or `tsquery` literal."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class EmptyQuery(ValueError):
    """The query has nothing to match: no words, or only excluded ones."""


@dataclass(frozen=True, slots=True)
class Alternative:
    """Adjacent terms an article must hold; only in articles of `languages`, when any are given."""

    terms: tuple[str, ...]
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Clause:
    """One word or phrase of a query: any of its alternatives matches."""

    alternatives: tuple[Alternative, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.negated)

    def terms(self) -> frozenset[str]:
        """Every term a match may contain, for highlighting."""
        return frozenset(term for clause in self.positive for alt in clause.alternatives for term in alt.terms)

    def fts5(self) -> str:
        """The query in SQLite FTS5's syntax: every term quoted, so no input is read as an operator; terms
        are matched in the title and body columns, languages in the language column."""

        def option(alt: Alternative) -> str:
            phrase = '{title body} : "' + " ".join(alt.terms) + '"'
            if not alt.languages:
                return phrase
            codes = (language.lower().replace('"', "") for language in alt.languages)
            languages = " OR ".join(f'lang : "{code}"' for code in codes)
            return f"({phrase} AND ({languages}))"

        def group(clause: Clause) -> str:
            return "(" + " OR ".join(option(alt) for alt in clause.alternatives) + ")"

        expression = " AND ".join(group(clause) for clause in self.positive)
        negated = [group(clause) for clause in self.clauses if clause.negated]
        if negated:
            expression = f"({expression}) NOT ({' OR '.join(negated)})"
        return expression

    def tsquery(self) -> str:
        """The query as a PostgreSQL `tsquery` literal, cast directly: its lexemes are not parsed again."""

        def option(alt: Alternative) -> str:
            phrase = "(" + " <-> ".join(map(lexeme, alt.terms)) + ")"
            if not alt.languages:
                return phrase
            languages = " | ".join(lexeme(LANGUAGE_MARK + language.lower()) for language in alt.languages)
            return f"({phrase} & ({languages}))"

        def group(clause: Clause) -> str:
            return "(" + " | ".join(option(alt) for alt in clause.alternatives) + ")"

        parts = [group(clause) for clause in self.positive]
        parts += ["!" + group(clause) for clause in self.clauses if clause.negated]
        return " & ".join(parts)

    def rank_tsquery(self) -> str:
        """Any of the query's terms, as a `tsquery` to rank matches by: which articles match is `tsquery`'s
        business, and without its language marks and structure ranking is four times faster."""
        return " | ".join(lexeme(term) for term in sorted(self.terms()))


def parse(text: str, languages: Iterable[str | None] = ()) -> Query:
    """Parse `text`; raises `EmptyQuery` when nothing is left to match."""
    languages = list(languages)
    clauses: list[Clause] = []
    for match in _CLAUSE.finditer(text):
        words = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        forms = [token.form for token in analysis.tokens(words or "")]
        if not forms:
            continue
        alternatives = tuple(Alternative(terms, found) for terms, found in analysis.term_variants(forms, languages))
        clause = Clause(alternatives, negated=bool(match.group("neg")))
        if clause not in clauses:
            clauses.append(clause)
        if len(clauses) == MAX_CLAUSES:
            break
    query = Query(tuple(clauses))
    if not query.positive:
        raise EmptyQuery("the query has no words to search for")
    return query
