"""How a bulk run is set up: the engine, its size, and the limits on one task."""

from __future__ import annotations

from dataclasses import dataclass

ENGINES = ("ray", "processes")
# Times Ray runs a task again after its worker process died (killed, out of memory, node lost).
WORKER_RETRIES = 3
# Default limit on one task: a CC-NEWS file of about 1 GB takes some minutes on one core.
TASK_TIMEOUT = 3600.0
# Default memory reserved per task: a row group, one page being extracted, and the interpreter.
TASK_MEMORY = 1024 * 1024 * 1024
# Seconds between checks on running tasks, for time limits and the progress display.
POLL_SECONDS = 0.5
# Ray's environment for a local run: no usage report sent home, nothing listening beyond loopback.
LOCAL_RAY_ENVIRONMENT = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


@dataclass(slots=True)
class BulkSettings:
    """`workers` None uses every core (or the cluster's CPUs); `address` (or `RAY_ADDRESS`) names a cluster."""

    workers: int | None = None
    address: str | None = None
    engine: str = "ray"
    retry_failed: bool = False
    task_timeout: float = TASK_TIMEOUT
    task_memory: int = TASK_MEMORY
