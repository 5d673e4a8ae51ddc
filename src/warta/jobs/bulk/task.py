"""One bulk task: one web archive in, one Parquet file and one marker out.

A plain function of its arguments, with no engine in it: Ray runs it on a cluster, a process pool runs it on
one machine, a test calls it directly. Everything it writes goes through `Layout`, so however often it is
retried or killed, the output folder holds each input's articles once or not at all.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from warta._version import __version__
from warta.jobs.bulk.inputs import BulkInput
from warta.jobs.bulk.layout import Layout, commit, write_json
from warta.jobs.bulk.rows import ROW_GROUP, article_row, schema
from warta.jobs.pages import extract_page, skip_reason
from warta.models import Article, Fetched, PageKind
from warta.sources import SourceError, read_warc

# Seconds a download of a remote archive may go without a byte before it is abandoned.
DOWNLOAD_READ_TIMEOUT = 60.0
DOWNLOAD_CHUNK = 1 << 20
HASH_CHUNK = 1 << 20


@dataclass(slots=True)
class TaskOutcome:
    """What a task did with its input: `status` is "done" or "failed" (with `reason`)."""

    name: str
    status: str
    rows: int = 0
    records: int = 0
    bytes: int = 0
    sha256: str | None = None
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    damaged: str | None = None
    reason: str | None = None
    extractor_version: str = __version__
    # The peak resident memory of the process that ran the task, in bytes (its whole life: a pooled worker
    # that ran other tasks before reports the largest of them).
    peak_rss: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Unreadable(SourceError):
    """An input with no readable record at all: not a web archive, or broken from its first byte."""

    reason = "not-a-warc"


def page_reason(result: Article | str) -> str | None:
    """Why an extraction result is not an article to keep, or None when it is one."""
    if isinstance(result, str):
        return result
    if result.kind is PageKind.LISTING:
        return "listing"
    if result.kind is not PageKind.ARTICLE or not result.body:
        return "no-article"
    return None


def extract_file(item: BulkInput, root: str) -> dict[str, Any]:
    """Extract every article page of one archive into `root`; the outcome as a dict (it crosses processes).

    An input that cannot be read at all is a permanent failure, marked so that a rerun does not try it again
    unless asked. Damage part-way through an archive is not: the records before it are kept, and the marker
    says where the file broke.
    """
    layout = Layout(Path(root))
    layout.create()
    started = time.monotonic()
    outcome = TaskOutcome(item.name, "done")
    temporary = layout.temporary(item.name)
    try:
        with _local_copy(item, layout) as path:
            _write(path, item.name, temporary, outcome)
        if outcome.damaged and not outcome.records:
            raise _Unreadable(outcome.damaged)
        commit(temporary, layout.output(item.name))
    except (OSError, SourceError) as error:
        temporary.unlink(missing_ok=True)
        outcome.status, outcome.reason = "failed", _failure(error)
        outcome.seconds = round(time.monotonic() - started, 3)
        outcome.peak_rss = _peak_rss()
        write_json(layout.failed_marker(item.name), outcome.to_dict())
        return outcome.to_dict()
    output = layout.output(item.name)
    outcome.bytes = output.stat().st_size
    outcome.sha256 = _sha256(output)
    outcome.seconds = round(time.monotonic() - started, 3)
    outcome.peak_rss = _peak_rss()
    write_json(layout.done_marker(item.name), outcome.to_dict())
    layout.failed_marker(item.name).unlink(missing_ok=True)
    return outcome.to_dict()


def _peak_rss() -> int:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _write(path: Path, name: str, temporary: Path, outcome: TaskOutcome) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table_schema = schema()
    skipped: Counter[str] = Counter()
    with pq.ParquetWriter(temporary, table_schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        records = read_warc(path)
        while True:
            try:
                record = next(records, None)
            except SourceError as error:
                # The records before the damage were read; what follows it cannot be found.
                outcome.damaged = error.reason
                break
            if record is None:
                break
            outcome.records += 1
            reason = skip_reason(record)
            result: Article | str = reason if reason else _extract(record)
            reason = page_reason(result)
            if reason is not None or isinstance(result, str):
                skipped[reason or "no-article"] += 1
                continue
            batch.append(article_row(result, record, name))
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=table_schema))
                outcome.rows += len(batch)
                batch = []
        # An input with no article still gets a file: its marker's row count of 0 is an answer, not a gap.
        writer.write_table(pa.Table.from_pylist(batch, schema=table_schema))
        outcome.rows += len(batch)
    outcome.skipped = dict(skipped.most_common())


def _extract(record: Fetched) -> Article | str:
    return extract_page(record.body, record.final_url, record.header("content-type"), record.fetched_at)


@contextmanager
def _local_copy(item: BulkInput, layout: Layout) -> Iterator[Path]:
    """The archive as a local file: itself, or a download next to the output that is removed afterwards."""
    if not item.remote:
        yield Path(item.location)
        return
    folder = Path(tempfile.mkdtemp(prefix=".download-", dir=layout.root))
    try:
        target = folder / "input.warc.gz"
        _download(item.location, target)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _download(url: str, target: Path) -> None:
    import httpx

    timeout = httpx.Timeout(30.0, read=DOWNLOAD_READ_TIMEOUT)
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise OSError(f"http-{response.status_code}")
            with target.open("wb") as handle:
                for chunk in response.iter_raw(DOWNLOAD_CHUNK):
                    handle.write(chunk)
    except httpx.HTTPError as error:
        raise OSError(f"download: {type(error).__name__}") from error


def _failure(error: BaseException) -> str:
    if isinstance(error, SourceError):
        return error.reason
    if isinstance(error, FileNotFoundError):
        return "missing"
    if isinstance(error, OSError) and error.errno:
        return f"unreadable: {os.strerror(error.errno)}"
    return str(error) or type(error).__name__


def fail_input(layout: Layout, item: BulkInput, reason: str, seconds: float = 0.0) -> TaskOutcome:
    """Mark an input failed for a reason its task could not write itself (its worker died, or it ran out of
    time), so that a rerun leaves it alone until asked to retry failures."""
    layout.remove_partials(item.name)
    outcome = TaskOutcome(item.name, "failed", reason=reason, seconds=round(seconds, 3))
    write_json(layout.failed_marker(item.name), outcome.to_dict())
    return outcome


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
