"""One page from its bytes to the store: extracted in a worker, then kept or skipped with a counted reason.

Crawls, imports and re-extraction all end here, so that a page is judged the same way whichever way it came.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from warta.errors import WartaError
from warta.extract import extract
from warta.jobs.workers import Summary
from warta.models import Article, DateHints, Fetched, PageKind
from warta.sources.zones import page_zone
from warta.store import FAILED, SKIPPED, Store
from warta.store.articles import search_document
from warta.store.db import StoreUnavailable, unavailable
from warta.store.fulltext import Document

# The prefix of the reason an extraction that raised gives: a failure of the extractor (counted with the
# errors, and a reason for `warta reextract` to exit non-zero), not a page that simply holds no article.
ERROR_PREFIX = "error:"


def extract_page(
    body: bytes,
    url: str | None,
    content_type: str | None,
    fetched_at: datetime | None,
    hints: DateHints | None = None,
) -> Article | str:
    """Extract one fetched page in a worker process; the reason code when it cannot be.

    Any exception becomes this page's reason ("error:LookupError"): a page that trips the extractor must
    cost the batch that one page, never its siblings in the same chunk.
    """
    try:
        return extract(body, url, content_type=content_type, now=fetched_at, hints=hints)
    except WartaError as exc:
        return exc.reason
    except (RecursionError, MemoryError) as exc:
        return type(exc).__name__
    except Exception as exc:
        return ERROR_PREFIX + type(exc).__name__


def extract_and_index(
    body: bytes,
    url: str | None,
    content_type: str | None,
    fetched_at: datetime | None,
    hints: DateHints | None = None,
) -> tuple[Article | str, Document | None]:
    """`extract_page`, and the article analysed for search, in the worker: the analysis is the most of what
    storing an article costs the process that writes, which a crawl's fetching and archiving share."""
    result = extract_page(body, url, content_type, fetched_at, hints)
    if isinstance(result, str) or not keepable(result):
        return result, None
    try:
        return result, search_document(result)
    except Exception:
        return result, None  # the writer analyses it again, and its failure is counted there


def keepable(article: Article) -> bool:
    """Whether an extracted page is an article to store (not a listing, not a page without a body)."""
    return article.kind is PageKind.ARTICLE and bool(article.body)


def is_failure(reason: str) -> bool:
    """Whether a page's reason is a failure of the extractor rather than a page without an article."""
    return reason.startswith(ERROR_PREFIX)


def keep(
    store: Store,
    summary: Summary,
    fetched: Fetched | None,
    result: Article | str,
    publisher_id: int | None,
    frontier_id: int | None = None,
    warc_file: str | None = None,
    document: Document | None = None,
) -> None:
    """Store an extracted article (with its `document` for search when a worker analysed it), or count why
    the page gave none; close its frontier row either way."""
    if isinstance(result, str) or not keepable(result):
        reason = result if isinstance(result, str) else "listing" if result.kind is PageKind.LISTING else "no article"
        (summary.errors if is_failure(reason) else summary.skipped)[reason] += 1
        if frontier_id is not None:
            store.finish(frontier_id, SKIPPED, reason)
        return
    try:
        outcome = store.save(
            result, fetched, publisher_id=publisher_id, warc_file=warc_file, frontier_id=frontier_id, document=document
        )
    except SQLAlchemyError as exc:
        if unavailable(exc):
            # A full disk or a lost server refuses every article that follows: stop rather than count them.
            raise StoreUnavailable.of(exc) from exc
        # One article the database refuses must not stop the crawl; the URL is retried, then given up.
        summary.errors["store " + type(getattr(exc, "orig", exc)).__name__] += 1
        if frontier_id is not None:
            store.finish(frontier_id, FAILED, "store")
        return
    summary.counts[outcome] += 1
    zone = page_zone(result.published, result.provenance.get("published", ""))
    if publisher_id is not None and zone is not None:
        # A publisher with no feed dates to learn from is placed by the offsets its pages state.
        store.set_time_zone(publisher_id, zone, "page", if_unknown=True)


def skip_reason(record: Fetched) -> str | None:
    """Why an archived response holds no page to extract, or None when it may hold one: the WARC reader's
    error for a record it could not read whole, an HTTP status other than 2xx, a type other than HTML."""
    if record.error is not None:
        return record.error
    if record.status is not None and not 200 <= record.status < 300:
        return f"http-{record.status}"
    if "html" not in (record.header("content-type") or "text/html").lower():
        return "not-html"
    return None
