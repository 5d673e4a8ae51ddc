"""Stories in the store: each article's story, what assignment read from it, and stories as readers see them.

Assignment itself is `warta.stories` and runs in `warta.jobs.stories`; this part keeps its results and hands
back what a later run needs to go on from them: the stories of the days it is about, with their reports'
profiles, so a new article is compared with them without anything being embedded again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, and_, delete, exists, insert, or_, select, update

from warta.models import StoredArticle, Story
from warta.store.articles import ARTICLE_ROWS, stored_article
from warta.store.schema import article_profiles, articles, stories
from warta.store.sql import new_id, now
from warta.stories.assign import MAX_COMPARED, WINDOW_DAYS
from warta.stories.headline import headline
from warta.stories.profile import Profile, Report

# Undated stories a new run compares with: those that changed within this long.
RECENT = timedelta(days=30)


class Stories:
    """The store's stories (a part of `warta.store.Store`)."""

    engine: Engine

    def unassigned(self, limit: int) -> list[StoredArticle]:
        """Articles with no story yet, in the order they were published (undated last)."""
        query = (
            ARTICLE_ROWS.where(articles.c.story_id.is_(None), articles.c.kind == "article")
            .order_by(articles.c.published.asc().nulls_last(), articles.c.id)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [stored_article(row) for row in connection.execute(query)]

    def story_profiles(self, since: date | None) -> dict[int, tuple[list[Profile], dict[str, bytes]]]:
        """The stories a run about days from `since` on may extend (those with a report dated within the
        window of it, and the recently changed undated ones), each with its newest reports' profiles, oldest
        first, and the MinHash values of their texts."""
        recent = now() - RECENT
        dated = select(article_profiles.c.article_id).where(
            article_profiles.c.day >= (since - timedelta(days=WINDOW_DAYS) if since else date.min)
        )
        wanted = (
            select(articles.c.story_id)
            .join(stories, stories.c.id == articles.c.story_id)
            .where(or_(articles.c.id.in_(dated), stories.c.updated_at >= recent))
            .distinct()
        )
        query = (
            select(
                articles.c.id,
                articles.c.uid,
                articles.c.story_id,
                articles.c.language,
                articles.c.published,
                article_profiles,
            )
            .join(article_profiles, article_profiles.c.article_id == articles.c.id)
            .where(articles.c.story_id.in_(wanted))
            .order_by(articles.c.story_id, articles.c.published.asc().nulls_last(), articles.c.id)
        )
        found: dict[int, tuple[list[Profile], dict[str, bytes]]] = defaultdict(lambda: ([], {}))
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                members, sketches = found[int(row.story_id)]
                members.append(_profile(row))
                if row.minhash is not None:
                    sketches[row.uid] = bytes(row.minhash)
        return {key: (members[-MAX_COMPARED:], sketches) for key, (members, sketches) in found.items()}

    def assign_story(
        self, article: StoredArticle, read: Profile, story: int | None, copy_of: str | None, minhash: bytes | None
    ) -> int:
        """Put `article` in `story` (a new one when None), as a copy of `copy_of` when it is one, and keep
        what was read from it; one transaction. Returns the story's id."""
        moment = now()
        with self.engine.begin() as connection:
            if story is None:
                story = new_id(connection.execute(insert(stories).values(created_at=moment, updated_at=moment)))
            else:
                connection.execute(update(stories).where(stories.c.id == story).values(updated_at=moment))
            original = None
            if copy_of is not None:
                original = connection.execute(select(articles.c.id).where(articles.c.uid == copy_of)).scalar()
            connection.execute(
                update(articles).where(articles.c.id == article.key).values(story_id=story, copy_of=original)
            )
            connection.execute(delete(article_profiles).where(article_profiles.c.article_id == article.key))
            connection.execute(
                insert(article_profiles).values(
                    article_id=article.key,
                    embedding=np.asarray(read.embedding, dtype="<f4").tobytes(),
                    day=read.day,
                    year=read.year,
                    numbers=sorted(read.numbers),
                    names=sorted(read.names),
                    minhash=minhash,
                )
            )
        return story

    def drop_empty_stories(self) -> int:
        """Remove the stories whose articles all left (re-extracted into other stories); returns how many."""
        with self.engine.begin() as connection:
            holds = exists().where(articles.c.story_id == stories.c.id)
            return int(connection.execute(delete(stories).where(~holds)).rowcount)

    def stories(self, *, limit: int = 20, before: tuple[datetime, int] | None = None) -> list[Story]:
        """Stories, the most recently extended first; `before` is the (updated_at, id) of the last story of
        the previous page."""
        query = select(stories).order_by(stories.c.updated_at.desc(), stories.c.id.desc()).limit(limit)
        if before is not None:
            moment, key = before
            query = query.where(
                or_(stories.c.updated_at < moment, and_(stories.c.updated_at == moment, stories.c.id < key))
            )
        with self.engine.connect() as connection:
            rows = list(connection.execute(query))
            members = _members(connection, [int(row.id) for row in rows])
        return [_story(row, members.get(int(row.id), []), with_members=False) for row in rows]

    def story(self, key: int) -> Story | None:
        """A story with all its articles, first published first."""
        with self.engine.connect() as connection:
            row = connection.execute(select(stories).where(stories.c.id == key)).first()
            if row is None:
                return None
            members = _members(connection, [key]).get(key, [])
        return _story(row, members, with_members=True)


def _members(connection: Any, keys: list[int]) -> dict[int, list[StoredArticle]]:
    if not keys:
        return {}
    query = ARTICLE_ROWS.where(articles.c.story_id.in_(keys)).order_by(
        articles.c.published.asc().nulls_last(), articles.c.id
    )
    out: dict[int, list[StoredArticle]] = defaultdict(list)
    for row in connection.execute(query):
        out[int(row.story_id)].append(stored_article(row))
    return out


def _story(row: Any, members: list[StoredArticle], *, with_members: bool) -> Story:
    reports = [member for member in members if member.copy_of is None]
    dated = [member.published for member in members if member.published is not None]
    return Story(
        id=int(row.id),
        headline=headline([(member.title, member.language) for member in reports or members]),
        reports=len(reports),
        copies=len(members) - len(reports),
        languages=tuple(sorted({member.language for member in members if member.language})),
        publishers=tuple(dict.fromkeys(member.publisher.name for member in members if member.publisher)),
        first_published=min(dated) if dated else None,
        last_published=max(dated) if dated else None,
        updated_at=row.updated_at,
        members=tuple(members) if with_members else (),
    )


def _profile(row: Any) -> Profile:
    report = Report(id=str(row.uid), language=row.language, published=row.published)
    return Profile(
        report=report,
        embedding=np.frombuffer(row.embedding, dtype="<f4").astype(np.float32),
        day=row.day,
        year=row.year,
        numbers=frozenset(row.numbers or ()),
        names=frozenset(row.names or ()),
    )
