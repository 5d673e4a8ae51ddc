"""The rows a bulk job writes: one per article, in Parquet, with the whole article kept as JSON beside the
columns researchers filter on, so the load stage rebuilds exactly the `Article` that was extracted."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from warta._version import __version__
from warta.models import Article, Fetched

# Rows per Parquet row group: a task holds one group in memory, so this bounds a worker's footprint.
ROW_GROUP = 1000
# An article's public id: the first 16 hex digits of the SHA-256 of its canonical URL, as in the store.
ID_LENGTH = 16

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("url", "string"),
    ("canonical_url", "string"),
    ("title", "string"),
    ("language", "string"),
    ("published", "string"),
    ("site_name", "string"),
    ("text", "string"),
    ("article", "string"),
    ("warc_file", "string"),
    ("warc_date", "string"),
    ("http_status", "int32"),
    ("payload_sha256", "string"),
    ("extractor_version", "string"),
)


def schema() -> Any:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in COLUMNS])


def article_row(article: Article, fetched: Fetched, warc_file: str) -> dict[str, Any]:
    # Times stay ISO 8601 strings with the article's own offset (a Parquet timestamp keeps only the instant).
    data = article.to_dict()
    key = article.canonical_url or fetched.final_url
    return {
        "id": hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_LENGTH],
        "url": fetched.final_url,
        "canonical_url": key,
        "title": article.title,
        "language": article.language,
        "published": data["published"],
        "site_name": article.site_name,
        "text": article.text,
        "article": json.dumps(data, ensure_ascii=False),
        "warc_file": warc_file,
        "warc_date": fetched.fetched_at.isoformat() if fetched.fetched_at is not None else None,
        "http_status": fetched.status,
        "payload_sha256": hashlib.sha256(fetched.body).hexdigest(),
        "extractor_version": __version__,
    }
