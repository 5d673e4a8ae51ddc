"""The reader's people: users with their API tokens, and who follows which publisher."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, insert, select, update

from warta.models import User
from warta.store.schema import LOCAL_USER_ID, follows, publishers, story_follows, users
from warta.store.sql import now, upsert


def token_digest(token: str) -> str:
    """Tokens are kept as their SHA-256: a copy of the store does not give away anyone's access."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def follow(connection: Connection, user_id: int, publisher_id: int, followed: bool) -> None:
    """Follow or unfollow inside the caller's transaction; the publisher is crawled while anyone follows it."""
    if followed:
        statement = upsert(connection, follows).values(user_id=user_id, publisher_id=publisher_id, created_at=now())
        connection.execute(statement.on_conflict_do_nothing())
    else:
        connection.execute(delete(follows).where(follows.c.user_id == user_id, follows.c.publisher_id == publisher_id))
    anyone = select(follows.c.user_id).where(follows.c.publisher_id == publisher_id).exists()
    connection.execute(update(publishers).where(publishers.c.id == publisher_id).values(followed=anyone))


def followed_by(user_id: int) -> Any:
    """The ids of the publishers a user follows, as a subquery."""
    return select(follows.c.publisher_id).where(follows.c.user_id == user_id)


def stories_followed_by(user_id: int) -> Any:
    """The ids of the stories a user follows, as a subquery."""
    return select(story_follows.c.story_id).where(story_follows.c.user_id == user_id)


def _user(row: Row[Any]) -> User:
    return User(int(row.id), str(row.name), row.token_sha256 is not None)


class Readers:
    """The store's users and follows (a part of `warta.store.Store`)."""

    engine: Engine

    def add_user(self, name: str) -> str:
        """Register a reader user and return their new API token (shown once; only its digest is kept)."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            found = connection.execute(select(users.c.id).where(users.c.name == name)).first()
            if found is not None:
                connection.execute(update(users).where(users.c.id == found.id).values(token_sha256=token_digest(token)))
            else:
                connection.execute(insert(users).values(name=name, token_sha256=token_digest(token), created_at=now()))
        return token

    def user_for_token(self, token: str) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.token_sha256 == token_digest(token))).first()
        return _user(row) if row is not None else None

    def users(self) -> list[User]:
        with self.engine.connect() as connection:
            return [_user(row) for row in connection.execute(select(users).order_by(users.c.id))]

    def set_followed(self, publisher_id: int, followed: bool, user_id: int = LOCAL_USER_ID) -> None:
        """Follow or unfollow a publisher for a user (the local one by default)."""
        with self.engine.begin() as connection:
            follow(connection, user_id, publisher_id, followed)

    def set_story_followed(self, story_id: int, followed: bool, user_id: int = LOCAL_USER_ID) -> None:
        """Follow or unfollow a story for a user (the local one by default)."""
        with self.engine.begin() as connection:
            if followed:
                statement = upsert(connection, story_follows).values(
                    user_id=user_id, story_id=story_id, created_at=now()
                )
                connection.execute(statement.on_conflict_do_nothing())
            else:
                connection.execute(
                    delete(story_follows).where(
                        story_follows.c.user_id == user_id, story_follows.c.story_id == story_id
                    )
                )

    def followed_story_ids(self, user_id: int = LOCAL_USER_ID) -> set[int]:
        with self.engine.connect() as connection:
            return {int(row.story_id) for row in connection.execute(stories_followed_by(user_id))}

    def followed_ids(self, user_id: int = LOCAL_USER_ID) -> set[int]:
        with self.engine.connect() as connection:
            rows = connection.execute(followed_by(user_id))
            return {int(row.publisher_id) for row in rows}
