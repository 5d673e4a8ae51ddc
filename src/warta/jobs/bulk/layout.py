"""The output folder of a bulk job, and the only ways anything is written into it.

    DIR/articles/<input name>.parquet   committed output, written under a temporary name and renamed
    DIR/_done/<input name>.json         completion marker, written after the rename: the output is whole
    DIR/_failed/<input name>.json       a permanent failure and its reason (`--retry-failed` tries it again)

A rename within one folder is atomic on POSIX file systems and on the object-store mounts Ray clusters use,
so a reader sees either no file or the whole file. The marker, not the Parquet file, is what says an input is
done: a task killed between its rename and its marker is simply run again, and its rename replaces the file.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTICLES, DONE, FAILED = "articles", "_done", "_failed"
# Temporary files start with this, so a listing of committed output never sees them.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path

    def output(self, name: str) -> Path:
        return self.root / ARTICLES / f"{name}.parquet"

    def done_marker(self, name: str) -> Path:
        return self.root / DONE / f"{name}.json"

    def failed_marker(self, name: str) -> Path:
        return self.root / FAILED / f"{name}.json"

    def temporary(self, name: str) -> Path:
        """A fresh temporary path next to the output: unique, so a retried task never writes into the file
        of an attempt that may still be running on a worker the scheduler gave up on."""
        return self.root / ARTICLES / f"{TEMP_PREFIX}{name}.{uuid.uuid4().hex}{TEMP_SUFFIX}"

    def create(self) -> None:
        for folder in (ARTICLES, DONE, FAILED):
            (self.root / folder).mkdir(parents=True, exist_ok=True)

    def is_done(self, name: str) -> bool:
        return self.done_marker(name).is_file() and self.output(name).is_file()

    def is_failed(self, name: str) -> bool:
        return self.failed_marker(name).is_file()

    def remove_partials(self, name: str) -> int:
        """Delete the temporary files earlier attempts at `name` left; the count removed."""
        removed = 0
        for stray in (self.root / ARTICLES).glob(f"{TEMP_PREFIX}{name}.*{TEMP_SUFFIX}"):
            stray.unlink(missing_ok=True)
            removed += 1
        return removed

    def committed(self) -> list[tuple[str, Path, dict[str, Any]]]:
        """Every committed output with its marker, by input name."""
        found = []
        for marker in sorted((self.root / DONE).glob("*.json")):
            name = marker.name.removesuffix(".json")
            output = self.output(name)
            if output.is_file():
                found.append((name, output, read_json(marker)))
        return found


def read_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a small JSON file so that it is either absent or whole, even if the process dies midway."""
    temporary = path.with_name(f"{TEMP_PREFIX}{path.name}.{uuid.uuid4().hex}{TEMP_SUFFIX}")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def commit(temporary: Path, final: Path) -> None:
    """Make a finished temporary file the output: its bytes reach the disk before its name does."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
