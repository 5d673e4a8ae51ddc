"""The store's tables, in SQLAlchemy Core: one schema for the embedded SQLite file and for PostgreSQL.

The store is the single source of truth for crawl state: which publishers are followed, the state of each of
their feeds and sitemaps, the frontier of URLs to fetch, the pages fetched, and the articles with every
earlier version. A crawl killed at any moment resumes from these tables alone (see `Store.recover`).

Timestamps are stored as timezone-aware UTC datetimes; article fields that are records (authors, images,
blocks, provenance) are kept whole in a JSON column, and the authors also in a table of their own for
filtering. Alembic migrations (`warta/store/migrations`) create and change these tables; this module is what
the code queries against, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect

# Constraint names follow one convention, so that migrations can refer to them on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


# Tables made by hand-written DDL, not by this metadata: the full-text index (`warta.store.fulltext`), whose
# SQLite form is an FTS5 virtual table with shadow tables of its own.
UNMANAGED_PREFIX = "article_search"


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter: what schema comparisons and autogenerate look at."""
    return not (type_ == "table" and (name or "").startswith(UNMANAGED_PREFIX))


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored in UTC on both databases.

    SQLite has no time-zone type: SQLAlchemy writes an aware datetime there as its local wall time and reads
    it back naive, so two offsets of one instant would sort apart. Everything goes in as UTC and comes back
    aware; an article's own offset is kept in its `data` record.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store takes aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# URLs are long: 2,048 characters is what browsers and crawlers commonly accept.
URL = String(2048)
Moment = UTCDateTime()

publishers = Table(
    "publishers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("home_url", URL, nullable=False, unique=True),
    Column("host", String(255), nullable=False, index=True),
    Column("followed", Boolean, nullable=False, default=True),
    Column("created_at", Moment, nullable=False),
    # The publisher's time zone as a crawl learned it (`warta.sources.zones`): an IANA name or "+07:00", and
    # what it was learned from. Extraction reads times printed without a zone in it.
    Column("time_zone", String(64)),
    Column("time_zone_source", String(40)),
)

# A feed or sitemap of a publisher, with what its last fetch said (for conditional GET) and its health.
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("publisher_id", ForeignKey("publishers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", URL, nullable=False, unique=True),
    Column("kind", String(40), nullable=False),  # rss, atom, json-feed, sitemap, sitemap-index, news-sitemap
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("last_fetched_at", Moment),
    Column("last_success_at", Moment),
    Column("last_error", String(200)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("links_seen", Integer, nullable=False, default=0),
    Column("next_fetch_at", Moment, index=True),
    Column("created_at", Moment, nullable=False),
)

# URLs to fetch. `state` moves queued -> fetching -> done | failed | skipped; a crawl that dies leaves rows in
# "fetching", which the next one puts back in the queue.
frontier = Table(
    "frontier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", URL, nullable=False, unique=True),
    Column("publisher_id", ForeignKey("publishers.id", ondelete="CASCADE"), index=True),
    Column("source_id", ForeignKey("sources.id", ondelete="SET NULL")),
    Column("state", String(20), nullable=False, default="queued"),
    Column("listed_at", Moment),  # the time the source gives the entry (published or lastmod)
    # ... the offset it was written with (minutes east of UTC; `listed_at` is stored in UTC), and whether it
    # was a publication ("published") or a last modification ("modified"): evidence for extraction.
    Column("listed_offset", Integer),
    Column("listed_kind", String(20)),
    Column("discovered_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(200)),
    # A queued URL is not claimed before this time: a throttled host's Retry-After, or the next round for a
    # host set aside as failing. None: due now.
    Column("not_before", Moment),
    # The crawl lease (`crawl_leases.token`) of the run fetching the URL, so that a crawl puts back in the
    # queue only what a dead run left, never what a live one is fetching.
    Column("claimed_by", String(64)),
    Index("ix_frontier_state_discovered", "state", "discovered_at"),
)

# Who is crawling the store: one row per lease name, held by one process until its heartbeat expires, so two
# crawls of one store never fetch the same URLs (`warta.store.lease`).
crawl_leases = Table(
    "crawl_leases",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("token", String(64), nullable=False),
    Column("owner_pid", Integer, nullable=False),
    Column("owner_host", String(255), nullable=False),
    Column("acquired_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
)

# Every fetched article page: where its response is archived, for `warta reextract`.
pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", URL, nullable=False, index=True),
    Column("final_url", URL, nullable=False),
    Column("status", Integer),
    Column("fetched_at", Moment, nullable=False),
    Column("content_type", String(200)),
    Column("etag", String(500)),
    Column("last_modified", String(100)),
    Column("body_sha256", String(64)),
    Column("body_bytes", BigInteger),
    Column("warc_file", String(500)),
    Column("article_id", ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    # The response's identity (`warta.store.pages.response_key`): one row per response, however often it
    # is imported or re-extracted. Nullable only because SQLite cannot add a NOT NULL column in place.
    Column("response_key", String(64), unique=True),
)

# One row per article, keyed by its canonical URL; `data` is the whole extracted record (Article.to_dict),
# the other columns are what lists and filters need.
articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # The stable id (`warta.store.articles.stable_id`), the same in every store; nullable only because SQLite
    # cannot add a NOT NULL column to a filled table without rebuilding it. `Store.save` always sets it.
    Column("uid", String(16), index=True, unique=True),
    Column("canonical_url", URL, nullable=False, unique=True),
    Column("url", URL, nullable=False, index=True),
    Column("publisher_id", ForeignKey("publishers.id", ondelete="SET NULL"), index=True),
    Column("title", Text),
    Column("published", Moment, index=True),
    Column("updated", Moment),
    Column("language", String(16), index=True),
    Column("site_name", String(300)),
    Column("section", String(300)),
    Column("kind", String(20), nullable=False),
    # The body is kept once, in `data` (its blocks); search reads it from there and keeps only its index.
    Column("data", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("extractor_version", String(40), nullable=False),
    Column("first_seen_at", Moment, nullable=False),
    Column("last_seen_at", Moment, nullable=False),
    # The story the article reports (`warta.stories`), once assigned; and the article it copies, when it is
    # a copy of another's text (wire copy, one text at two addresses).
    Column("story_id", ForeignKey("stories.id", ondelete="SET NULL"), index=True),
    Column("copy_of", ForeignKey("articles.id", ondelete="SET NULL")),
)

# A story: the articles of every outlet, in every language, that report one happening.
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False, index=True),
)

# Who follows which story: its new reports join the follower's list and feed like a followed publisher's.
story_follows = Table(
    "story_follows",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", Moment, nullable=False),
)

# What story assignment read from an article (`warta.stories.profile`), kept so that later articles are
# compared with it without embedding it again: the lead's embedding (float32), its day, figures and names,
# and the MinHash values of its text for finding copies.
article_profiles = Table(
    "article_profiles",
    metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("embedding", LargeBinary, nullable=False),
    Column("day", Date, index=True),
    Column("year", Integer),
    Column("numbers", JSON, nullable=False),
    Column("names", JSON, nullable=False),
    Column("minhash", LargeBinary),
)

# The earlier versions of an article: a re-fetch whose content differs keeps the one it replaces.
article_versions = Table(
    "article_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("extractor_version", String(40), nullable=False),
    Column("seen_at", Moment, nullable=False),
    UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),
)

article_authors = Table(
    "article_authors",
    metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(300), nullable=False, index=True),
    Column("role", String(40)),
    Column("url", URL),
)

# People using the reader. The local user (LOCAL_USER_ID, no token) is the one on localhost and on the
# command line; users with an API token are those of a reader bound to another address.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("token_sha256", String(64), unique=True),
    Column("created_at", Moment, nullable=False),
)
LOCAL_USER_ID = 1

# Who follows which publisher. A publisher is crawled (`publishers.followed`) while anyone follows it.
follows = Table(
    "follows",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("publisher_id", ForeignKey("publishers.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", Moment, nullable=False),
)

# The bulk output files (`warta bulk load`) already in the store, by name and content: a file loads in one
# transaction that also writes its row here, so it loads once however often the load is run.
loaded_files = Table(
    "loaded_files",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("new", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("loaded_at", Moment, nullable=False),
)
