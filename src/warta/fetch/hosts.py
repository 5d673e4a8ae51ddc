"""Hosts that keep failing are set aside for the rest of the round, so one dead or hostile server costs a
bounded amount of time and the crawl goes on with the others.

Each failure already cost up to a whole deadline (a connect timeout, a body trickling until the response
deadline), and the next URL of the same host would most likely cost the same. After a few such failures in
a row, or many throttling answers (429, 503), every further request to the host fails at once with
"host-set-aside"; the crawl leaves those URLs queued for its next round. A fetcher is one round, so the
record is forgotten with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from warta.fetch.reasons import Reason

# Failures that say the host is unreachable or too slow, rather than that one URL is wrong.
HOST_FAILURES = frozenset({Reason.TIMEOUT, Reason.CONNECT_ERROR, Reason.NETWORK_ERROR, Reason.TLS_ERROR})
# Statuses that say "too many requests": counted apart, since a rate-limiting host is alive and answers fast.
THROTTLE_STATUSES = frozenset({429, 503})


@dataclass(slots=True)
class _Record:
    failures: int = 0  # in a row: any answer from the host starts the count again
    throttles: int = 0  # in the round
    set_aside: bool = False


class HostHealth:
    """Counts each host's failures and throttles in one round; past `max_failures` or `max_throttles` the
    host is set aside."""

    def __init__(self, max_failures: int, max_throttles: int) -> None:
        self.max_failures = max_failures
        self.max_throttles = max_throttles
        self._hosts: dict[str, _Record] = {}

    def _record(self, host: str) -> _Record:
        return self._hosts.setdefault(host.lower(), _Record())

    def is_set_aside(self, host: str) -> bool:
        record = self._hosts.get(host.lower())
        return record is not None and record.set_aside

    def failed(self, host: str, reason: str) -> None:
        if reason not in HOST_FAILURES:
            return
        record = self._record(host)
        record.failures += 1
        if record.failures >= self.max_failures:
            record.set_aside = True

    def answered(self, host: str, status: int) -> None:
        record = self._record(host)
        record.failures = 0
        if status in THROTTLE_STATUSES:
            record.throttles += 1
            if record.throttles >= self.max_throttles:
                record.set_aside = True

    def set_aside_hosts(self) -> list[str]:
        return sorted(host for host, record in self._hosts.items() if record.set_aside)
