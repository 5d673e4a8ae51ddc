"""Fuzz extraction: every page of the data sets as it is and mutated, each call in a worker with a time limit.

    python benchmarks/fuzz.py [--mutants 2] [--limit-seconds 10] [--seed 0] [--data-dir ../shared/data]
                              [--pages N] [--no-text]

Each page is given to `warta.extract` as bytes, unchanged and as `--mutants` mutants (byte flips, truncation,
inserted tags, comments and charsets, duplicated stretches, deep nesting); unchanged, it is also given to
`warta.extract_text` as text. Only `warta.ExtractionError` and its subclasses may escape; anything else is a
crash, and a call past `--limit-seconds` is a hang (its worker is killed and replaced). Printed: inputs tried,
crashes by exception type, hangs, the slowest inputs with their times, and the workers' peak RSS.
tests/extract/test_fuzz.py runs the same mutators on a few pages for a fixed small budget.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

_BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = _BENCH_DIR.parent.parent / "shared" / "data"

# Markup a mutant gains: tags that open or close structure, comments, raw-text elements, declarations.
INSERTS: tuple[bytes, ...] = (
    b"<div>", b"</div>", b"<p>", b"</p>", b"<table><tr><td>", b"<script>", b"</script>", b"<style>", b"<!--",
    b"-->", b"<svg><path d='M0 0'/>", b"<![CDATA[", b"<a href=", b'"', b"<title>", b"<template>", b"&#x",
    b"<noscript>", b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"99999999999999"',
)  # fmt: skip
# Charsets a mutant declares: WHATWG labels and Python codecs that are no text encoding.
CHARSETS: tuple[str, ...] = (
    "utf-8", "windows-1252", "shift_jis", "utf-16", "hex", "base64", "rot13", "zlib", "idna", "undefined",
    "x-user-defined",
)  # fmt: skip


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def insert_markup(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 20)):
        at = rng.randint(0, len(out))
        out = out[:at] + rng.choice(INSERTS) * rng.choice((1, 1, 3, 50)) + out[at:]
    return out


def insert_comments(data: bytes, rng: random.Random) -> bytes:
    return b"<!--a-->" * rng.randint(1, 64) + data


def insert_charset(data: bytes, rng: random.Random) -> bytes:
    return f"<meta charset={rng.choice(CHARSETS)}>".encode() + data


def duplicate(data: bytes, rng: random.Random) -> bytes:
    start = rng.randint(0, len(data))
    piece = data[start : start + rng.randint(1, 4096)]
    return data[:start] + piece * rng.randint(2, 200) + data[start:]


def nest(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    depth = rng.choice((100, 1000, 20_000))
    tag = rng.choice((b"div", b"span", b"b", b"x-y", b"ul"))
    return data[:at] + (b"<" + tag + b">") * depth + data[at:] + (b"</" + tag + b">") * depth


def deep_json(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((500, 5000, 50_000))
    script = b'<script type="application/ld+json">' + b"[" * depth + b"]" * depth + b"</script>"
    at = rng.randint(0, len(data))
    return data[:at] + script + data[at:]


MUTATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "markup": insert_markup,
    "comments": insert_comments,
    "charset": insert_charset,
    "duplicate": duplicate,
    "nest": nest,
    "deep-json": deep_json,
}


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutant of `data`: one to three mutators in a row, named as "flip+nest"."""
    names = rng.sample(sorted(MUTATORS), rng.randint(1, 3))
    for name in names:
        data = MUTATORS[name](data, rng)
    return "+".join(names), data


@dataclass(slots=True)
class Outcome:
    label: str
    seconds: float
    error: str | None  # the type of an exception outside the ExtractionError family, or "hang"


def _worker(connection: Connection) -> None:
    import warta

    while True:
        task = connection.recv()
        if task is None:
            return
        mode, data = task
        started = time.perf_counter()
        error = None
        try:
            if mode == "text":
                warta.extract_text(data)
            else:
                warta.extract(data)
        except warta.ExtractionError:
            pass
        except BaseException as exc:  # every other escape is what the fuzzer counts
            error = type(exc).__name__
        rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        connection.send((time.perf_counter() - started, error, rss_kib))


class Worker:
    """A child process that extracts; killed and replaced when a call passes the time limit."""

    def __init__(self) -> None:
        self.peak_rss_kib = 0
        self._start()

    def _start(self) -> None:
        self.connection, child = mp.Pipe()
        self.process = mp.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        # The first call pays for importing warta and loading its models: not the page's time.
        prose = b"<p>" + b"The council met on Tuesday to discuss the budget for the new school year. " * 20 + b"</p>"
        self.connection.send(("html", b"<html><body>" + prose + b"</body></html>"))
        self.connection.recv()

    def run(self, mode: str, data: bytes, limit: float) -> tuple[float, str | None]:
        self.connection.send((mode, data))
        if not self.connection.poll(limit):
            self.process.kill()
            self.process.join()
            self._start()
            return limit, "hang"
        try:
            seconds, error, rss_kib = self.connection.recv()
        except EOFError:  # the worker died (a crash in C code, or out of memory)
            self.process.join()
            code = self.process.exitcode
            self._start()
            return 0.0, f"died (exit {code})"
        self.peak_rss_kib = max(self.peak_rss_kib, rss_kib)
        return seconds, error

    def close(self) -> None:
        self.connection.send(None)
        self.process.join(5)


def pages(data_dir: Path) -> list[Path]:
    """Every gzipped page under `data_dir`."""
    return sorted(data_dir.glob("**/*.gz"))


def main(argv: list[str] | None = None) -> int:
    import gzip

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=2, help="mutants of each page (default 2)")
    parser.add_argument("--limit-seconds", type=float, default=10.0, help="time limit of one call (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the mutations (default 0)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    parser.add_argument("--no-text", action="store_true", help="skip feeding the pages to extract_text")
    args = parser.parse_args(argv)
    files = list(dict.fromkeys(pages(args.data_dir)))[: args.pages]
    if not files:
        print(f"no pages under {args.data_dir}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    worker = Worker()
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    try:
        for number, path in enumerate(files, start=1):
            with gzip.open(path, "rb") as handle:
                raw = handle.read()
            name = str(path.relative_to(args.data_dir))
            inputs = [("html", name, raw)]
            if not args.no_text:
                inputs.append(("text", f"{name} as text", raw))
            for _ in range(args.mutants):
                how, mutant = mutate(raw, rng)
                inputs.append(("html", f"{name} {how}", mutant))
            for mode, label, data in inputs:
                seconds, error = worker.run(mode, data, args.limit_seconds)
                outcomes.append(Outcome(label, seconds, error))
                if error:
                    print(f"{error}: {label}", file=sys.stderr, flush=True)
            if number % 100 == 0:
                elapsed = time.perf_counter() - started
                print(f"{number}/{len(files)} pages, {elapsed:.0f} s", file=sys.stderr, flush=True)
    finally:
        worker.close()
    crashes = Counter(o.error for o in outcomes if o.error and o.error != "hang")
    hangs = [o for o in outcomes if o.error == "hang"]
    print(f"inputs tried: {len(outcomes)} ({len(files)} pages, {args.mutants} mutants each, seed {args.seed})")
    print(f"crashes: {sum(crashes.values())}" + "".join(f"\n  {kind}: {n}" for kind, n in crashes.most_common()))
    print(f"hangs (> {args.limit_seconds:g} s): {len(hangs)}" + "".join(f"\n  {o.label}" for o in hangs[:20]))
    print("slowest:")
    for outcome in sorted(outcomes, key=lambda o: -o.seconds)[:10]:
        print(f"  {outcome.seconds:7.2f} s  {outcome.label}")
    print(f"peak RSS of a worker: {worker.peak_rss_kib / 1024:.0f} MiB")
    print(f"wall time: {time.perf_counter() - started:.0f} s")
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
