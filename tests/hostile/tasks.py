"""Tasks for the timed worker pool's tests: importable by a worker process, each misbehaving one way."""

from __future__ import annotations

import os
import time


def square(number: int) -> int:
    return number * number


def sleep_then(seconds: float, value: int) -> int:
    time.sleep(seconds)
    return value


def boom(message: str) -> int:
    raise LookupError(message)


def die() -> int:
    os._exit(3)


def pid() -> int:
    return os.getpid()


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
