"""Builders of hostile listings, shared by the hostile-input tests and benchmarks/sources_hostile.py."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType


def entity_bomb(levels: int, root: str = "rss") -> str:
    """A DOCTYPE whose last entity expands to 10**levels copies of "lol" ("billion laughs" at 9)."""
    entities = "".join(f'\n<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, levels + 1))
    return f'<!DOCTYPE {root} [\n<!ENTITY l0 "lol">{entities}\n]>\n'


def bomb_after_comment(comment_bytes: int, levels: int, root: str = "rss") -> bytes:
    """An entity bomb placed after a comment long enough to push it past any sniffing window.

    The comment holds markup-like text, which is what hid the DOCTYPE from feedparser's own stripping.
    """
    comment = "<!--" + "<a> " * (comment_bytes // 4) + "-->\n"
    if root == "rss":
        body = f"<rss version='2.0'><channel><title>&l{levels};</title>"
        body += "<item><link>https://e.example/a</link></item></channel></rss>"
    else:
        body = f"<urlset><url><loc>https://e.example/&l{levels};</loc></url></urlset>"
    return ('<?xml version="1.0"?>\n' + comment + entity_bomb(levels, root) + body).encode()


def leading_comments(count: int, rest: bytes) -> bytes:
    """`count` tiny comments before a document: the input that made a backtracking regex take minutes."""
    return b"<!--a-->" * count + rest


@contextlib.contextmanager
def hang_stopper(seconds: float) -> Iterator[None]:
    """Fail a test that runs away instead of letting it hang the suite (not a timing assertion)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
