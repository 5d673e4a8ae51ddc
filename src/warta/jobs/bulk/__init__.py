"""Bulk extraction of web archives (CC-NEWS-sized) on Ray or a process pool, resumable and exactly-once, and
the stage that loads its output into a store.

    inputs    what to read: WARC files, folders, manifests of paths or URLs
    layout    the output folder: committed Parquet files and their markers
    task      one archive in, one Parquet file and one marker out (no engine in it)
    engine    Ray and the plain process pool that run tasks
    driver    the plan (what is left to do) and the run
    load      committed Parquet files into the store, each once
"""

from warta.jobs.bulk.driver import BulkSummary, run
from warta.jobs.bulk.inputs import BulkInput, InputError, resolve
from warta.jobs.bulk.load import LoadSummary, load
from warta.jobs.bulk.settings import BulkSettings
from warta.jobs.bulk.task import TaskOutcome, extract_file

__all__ = [
    "BulkInput", "BulkSettings", "BulkSummary", "InputError", "LoadSummary", "TaskOutcome", "extract_file", "load",
    "resolve", "run",
]  # fmt: skip
