"""What a bulk job reads: files, folders and manifests resolve to named inputs, largest first, each once."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.bulk.archives import write_archive
from warta.jobs.bulk import InputError, resolve


def test_folders_files_and_manifests_resolve_to_each_archive_once_largest_first(tmp_path: Path) -> None:
    small = write_archive(tmp_path / "small.warc.gz", 0, 2)
    (tmp_path / "sub").mkdir()
    large = write_archive(tmp_path / "sub" / "large.warc", 1, 20)
    (tmp_path / "notes.txt").write_text("not an archive")
    manifest = tmp_path / "paths.txt"
    manifest.write_text("# a comment\nsmall.warc.gz\n\nhttps://example.org/x/remote.warc.gz\n")
    found = resolve([str(tmp_path), str(manifest), str(small)])
    assert [item.name for item in found] == ["remote.warc.gz", "large.warc", "small.warc.gz"]
    assert found[0].remote
    assert found[0].size is None
    assert found[1].location == str(large)
    assert found[1].size == large.stat().st_size


def test_common_crawl_manifests_resolve_against_its_bucket_or_a_given_base(tmp_path: Path) -> None:
    manifest = tmp_path / "warc.paths.gz"
    line = "crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101000000-00001.warc.gz"
    manifest.write_bytes(gzip.compress(f"{line}\n".encode()))
    assert resolve([str(manifest)])[0].location == f"https://data.commoncrawl.org/{line}"
    mirrored = resolve([str(manifest)], base_url="http://127.0.0.1:8000/cc/")[0]
    assert mirrored.location == f"http://127.0.0.1:8000/cc/{line}"
    assert mirrored.name == "CC-NEWS-20240101000000-00001.warc.gz"


def test_inputs_sharing_a_file_name_get_names_that_do_not_depend_on_order(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_archive(tmp_path / folder / "same.warc.gz", 0, 1)
    one = {item.location: item.name for item in resolve([str(tmp_path / "a"), str(tmp_path / "b")])}
    other = {item.location: item.name for item in resolve([str(tmp_path / "b"), str(tmp_path / "a")])}
    assert one == other
    assert len(set(one.values())) == 2
    assert all(name.endswith("-same.warc.gz") for name in one.values())


def test_a_missing_path_or_a_binary_non_archive_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        resolve([str(tmp_path / "absent.warc.gz")])
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        resolve([str(binary)])
