from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from warta.fetch.retry import JITTER, backoff, parse_retry_after

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("0", 0.0),
        ("Sun, 01 Mar 2026 12:00:30 GMT", 30.0),
        ("Sunday, 01-Mar-26 12:01:00 GMT", 60.0),  # the obsolete RFC 850 form
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),  # already past
        ("soon", None),
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_backoff_doubles_with_bounded_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt in range(5):
        delay = backoff(attempt, 0.5, 1000.0, rng)
        assert 0.5 * 2**attempt <= delay <= 0.5 * 2**attempt * (1 + JITTER)
    assert backoff(20, 0.5, 30.0, rng) == 30.0
