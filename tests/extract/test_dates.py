from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from warta.extract.dates import parse_machine_date

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("raw", "expected", "has_offset"),
    [
        ("2022-01-20T06:53:00+07:00", datetime(2022, 1, 20, 6, 53, tzinfo=WIB), True),
        ("2022-01-20T06:53:00+0700", datetime(2022, 1, 20, 6, 53, tzinfo=WIB), True),
        ("2024-05-03 15:47:42.389000+00:00", datetime(2024, 5, 3, 15, 47, 42, 389000, tzinfo=UTC), True),
        ("2024-05-03T15:47Z", datetime(2024, 5, 3, 15, 47, tzinfo=UTC), True),
        ("Fri, 03 May 2024 15:47:42 +0200", datetime(2024, 5, 3, 13, 47, 42, tzinfo=UTC), True),
        ("2024-05-03", datetime(2024, 5, 3, tzinfo=UTC), False),
        ("20240503", datetime(2024, 5, 3, tzinfo=UTC), False),
    ],
)
def test_machine_dates(raw: str, expected: datetime, has_offset: bool) -> None:
    parsed = parse_machine_date(raw)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.has_offset is has_offset


def test_offset_is_kept_not_normalised() -> None:
    parsed = parse_machine_date("2022-01-20T06:53:00+07:00")
    assert parsed is not None
    assert parsed.value.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("raw", ["", "garbage", "0001-01-01", "1970-01-01T00:00:00Z", "2024-13-45", "3024-01-01"])
def test_implausible_or_broken_dates_are_none(raw: str) -> None:
    assert parse_machine_date(raw, now=datetime(2026, 1, 1, tzinfo=UTC)) is None
