"""The responses articles were read from: one `pages` row per response, and where its archive file is.

A response is the same response however often it is imported or re-extracted: its identity is its URL, the
second it was fetched at and the digest of its body (`response_key`), and a unique index on that key keeps
one row per response, even with two processes importing overlapping archives at once.

Archive paths are stored so that the store can be moved with its archives and re-extracted from any folder:
relative to a SQLite store's folder when the archive is inside it, absolute otherwise.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine


def response_key(final_url: str, fetched_at: datetime, body_sha256: str | None) -> str:
    """A response's identity in the store.

    To the second, not the microsecond: archivers differ in the precision of the dates they write
    (WARC/1.0 keeps seconds), and one response must keep one identity whichever archive it is read from.
    This is a stored format: the migration that added it (0006) computed it for the rows already there.
    """
    moment = fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return hashlib.sha256(f"{final_url}\n{moment}\n{body_sha256 or ''}".encode()).hexdigest()


def store_folder(engine: Engine) -> Path | None:
    """The folder of a SQLite store's file; None for PostgreSQL and in-memory stores."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().resolve().parent


def stored_path(path: str | Path, folder: Path | None) -> str:
    """How an archive path is stored: relative to the store's folder when inside it, else absolute."""
    absolute = Path(path).expanduser().resolve()
    if folder is not None and absolute.is_relative_to(folder):
        return absolute.relative_to(folder).as_posix()
    return str(absolute)


def resolved_path(stored: str, folder: Path | None) -> Path:
    """Where a stored archive path is now.

    Rows written before paths were stored this way hold the path as it was typed, relative to a working
    directory nobody recorded: the store's folder is tried first, then the current directory.
    """
    path = Path(stored).expanduser()
    if path.is_absolute():
        return path
    candidates = [folder / path] if folder is not None else []
    candidates.append(Path.cwd() / path)
    return next((candidate for candidate in candidates if candidate.is_file()), candidates[0])
