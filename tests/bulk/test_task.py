"""One bulk task and the plan around it, on the process-pool engine: each input's articles once, counted
skips, markers that say what was written, and reruns that do nothing twice."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.bulk.archives import write_archive
from warta.jobs.bulk import BulkInput, BulkSettings, extract_file, resolve, run
from warta.jobs.bulk.layout import Layout
from warta.models import article_from_dict


def rows(out: Path) -> list[dict[str, object]]:
    found = []
    for path in sorted((out / "articles").glob("*.parquet")):
        found.extend(pq.read_table(path).to_pylist())
    return found


def test_a_task_writes_each_article_once_and_counts_the_rest(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "site.warc.gz", 3, 12)
    outcome = extract_file(BulkInput("site.warc.gz", str(archive), archive.stat().st_size), str(tmp_path / "out"))
    assert outcome["status"] == "done"
    assert (outcome["rows"], outcome["records"]) == (12, 14)
    assert outcome["skipped"] == {"not-html": 1, "http-404": 1}
    written = rows(tmp_path / "out")
    assert len({row["id"] for row in written}) == 12
    article = article_from_dict(json.loads(str(written[0]["article"])))
    assert article.title is not None
    assert article.title.startswith("Banjir surut")
    assert written[0]["published"] is not None
    assert str(written[0]["published"]).endswith("+07:00")
    marker = json.loads((tmp_path / "out" / "_done" / "site.warc.gz.json").read_text())
    output = tmp_path / "out" / "articles" / "site.warc.gz.parquet"
    assert marker["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert marker["rows"] == 12
    assert marker["bytes"] == output.stat().st_size
    assert not list((tmp_path / "out" / "articles").glob(".*"))


def test_an_unreadable_input_fails_for_good_and_a_damaged_one_keeps_what_precedes_the_damage(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"this is not a web archive at all\n" * 50)
    failed = extract_file(BulkInput("garbage.warc.gz", str(garbage)), str(tmp_path / "out"))
    assert failed["status"] == "failed"
    assert failed["reason"] == "not-a-warc"
    assert (tmp_path / "out" / "_failed" / "garbage.warc.gz.json").is_file()
    assert not (tmp_path / "out" / "articles" / "garbage.warc.gz.parquet").exists()

    whole = write_archive(tmp_path / "whole.warc", 4, 10, extras=False).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) * 3 // 4])
    damaged = extract_file(BulkInput("cut.warc", str(cut)), str(tmp_path / "out"))
    assert damaged["status"] == "done"
    assert damaged["damaged"] == "broken-warc"
    assert 0 < damaged["rows"] < 10


def test_a_rerun_does_nothing_twice_and_failures_wait_for_retry(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for site in range(3):
        write_archive(tmp_path / "in" / f"site{site}.warc.gz", site, 5)
    (tmp_path / "in" / "broken.warc").write_bytes(b"garbage")
    settings = BulkSettings(workers=2, engine="processes")
    out = tmp_path / "out"
    # A partial file an earlier run left is removed before its input runs again.
    Layout(out).create()
    stray = out / "articles" / ".site0.warc.gz.0123.tmp"
    stray.write_bytes(b"half a file")
    first = run(resolve([str(tmp_path / "in")]), out, settings)
    assert (first.inputs["done"], first.inputs["failed"], first.rows) == (3, 1, 15)
    assert not stray.exists()
    second = run(resolve([str(tmp_path / "in")]), out, settings)
    assert (second.inputs["already done"], second.inputs["failed before"], second.rows) == (3, 1, 0)
    retried = run(resolve([str(tmp_path / "in")]), out, BulkSettings(workers=1, engine="processes", retry_failed=True))
    assert retried.inputs["failed"] == 1
    assert retried.inputs["already done"] == 3
    assert len(rows(out)) == 15


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        run([], tmp_path, BulkSettings(engine="spark"))
