"""The crawl lease: one crawl at a time per store, so no URL is fetched twice by two runs.

A lease is one row (`crawl_leases`) naming its holder (pid, host, a random token) and when it expires. The
holder renews it (a heartbeat) well before it expires; a crawl that is killed stops renewing, and its lease is
taken over once expired, or at once when the holder is a process of this host that no longer exists. Taking
it is one atomic statement on both databases: an INSERT that skips an existing row, else an UPDATE guarded by
the token that was read (compare and swap), so of two crawls racing for an expired lease only one wins.

The frontier marks each claimed row with the token (`frontier.claimed_by`), so a new holder puts back in the
queue only rows of runs that are gone.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from warta.errors import WartaError
from warta.store.schema import crawl_leases
from warta.store.sql import now

# How long a lease lives without a heartbeat. Long enough that a crawl busy storing a batch never loses it;
# short enough that a crawl killed on another machine blocks the store for about a minute.
LEASE_TTL = 60.0
# Renew this often: three missed heartbeats still leave the lease held.
HEARTBEAT_INTERVAL = LEASE_TTL / 4
CRAWL = "crawl"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a lease, and until when."""

    token: str
    pid: int
    host: str
    since: datetime
    expires_at: datetime

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"crawl by pid {self.pid}{where} since {self.since.astimezone():%Y-%m-%d %H:%M:%S}"


class StoreBusy(WartaError):
    """Another live crawl holds the store's lease."""

    reason = "store-busy"

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"store is busy: {holder.describe()}")
        self.holder = holder


class LeaseLost(WartaError):
    """The lease expired and another crawl took it: this one must stop claiming work."""

    reason = "lease-lost"


def _process_gone(holder: Holder) -> bool:
    """Whether the holder is a process of this host that has exited (a kill -9 leaves no other trace)."""
    if holder.host != socket.gethostname():
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


class Lease:
    """One process's claim on a named lease of a store: `acquire`, `renew` on a heartbeat, `release`."""

    def __init__(self, engine: Engine, name: str = CRAWL, ttl: float = LEASE_TTL) -> None:
        self.engine = engine
        self.name = name
        self.ttl = ttl
        self.token = secrets.token_hex(16)
        self.held = False

    def holder(self) -> Holder | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(crawl_leases).where(crawl_leases.c.name == self.name)).first()
        if row is None:
            return None
        return Holder(row.token, row.owner_pid, row.owner_host, row.acquired_at, row.expires_at)

    def acquire(self) -> None:
        """Take the lease, or raise `StoreBusy` naming the live holder."""
        while not self._try_acquire():
            pass  # another crawl took an expired lease between our read and our update: look again

    def _try_acquire(self) -> bool:
        moment = now()
        values = {
            "token": self.token,
            "owner_pid": os.getpid(),
            "owner_host": socket.gethostname()[:255],
            "acquired_at": moment,
            "expires_at": moment + timedelta(seconds=self.ttl),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(crawl_leases).values(name=self.name, **values))
        except IntegrityError:
            pass  # held, or left behind by a run that is gone
        else:
            self.held = True
            return True
        holder = self.holder()
        if holder is None:
            return False  # released meanwhile: insert again
        if holder.expires_at > moment and not _process_gone(holder):
            raise StoreBusy(holder)
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(crawl_leases)
                .where(crawl_leases.c.name == self.name, crawl_leases.c.token == holder.token)
                .values(**values)
            )
        self.held = taken.rowcount == 1
        return self.held

    def renew(self) -> None:
        """Push the expiry back; raise `LeaseLost` when another crawl has taken the lease meanwhile."""
        with self.engine.begin() as connection:
            renewed = connection.execute(
                update(crawl_leases)
                .where(crawl_leases.c.name == self.name, crawl_leases.c.token == self.token)
                .values(expires_at=now() + timedelta(seconds=self.ttl))
            )
        if renewed.rowcount != 1:
            self.held = False
            raise LeaseLost("the crawl lease was taken by another crawl")

    def release(self) -> None:
        """Give the lease up (only if still ours)."""
        if not self.held:
            return
        with self.engine.begin() as connection:
            connection.execute(
                delete(crawl_leases).where(crawl_leases.c.name == self.name, crawl_leases.c.token == self.token)
            )
        self.held = False
