"""One JSON Lines record, as the jobs that read them (`warta clean`, `warta cluster`) take it."""

from __future__ import annotations

import json
from typing import Any


def json_object(line: str) -> dict[str, Any] | str:
    """The JSON object on `line`, or the reason it is not one ("bad json", "not an object")."""
    try:
        record = json.loads(line)
    except ValueError:
        return "bad json"
    if not isinstance(record, dict):
        return "not an object"
    return record
