"""Metrics across the worker processes of ``cophub serve`` (prometheus-client's multiprocess
mode).

Each worker writes its counts to memory-mapped files in ``PROMETHEUS_MULTIPROC_DIR``; the worker
that answers a scrape adds up every file (``metrics._counted``). prometheus-client chooses its
mode once, when it is first imported, from that variable: ``cophub serve`` therefore sets it
before anything imports prometheus-client (before its system checks, which import the URLs),
and the workers, forked from it, inherit both. A worker that exits is marked dead, so the
gauges of live processes (reach counts waiting) forget it.

The directory is the operator's ``PROMETHEUS_MULTIPROC_DIR`` (created if missing; its ``*.db``
files are removed at start, as prometheus-client requires; give each ``cophub serve`` its own),
or a new temporary one, removed when the server stops."""

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


class MetricsModeError(RuntimeError):
    """prometheus-client was imported before the multiprocess directory was set."""


@contextmanager
def metrics_multiprocess() -> Iterator[Path]:
    """Within the block, metrics go to the files of a fresh multiprocess directory."""
    if "prometheus_client" in sys.modules:
        raise MetricsModeError(
            "prometheus_client was imported before cophub serve chose its metrics directory: "
            "the workers would count in memory, each on its own."
        )
    chosen = os.environ.get(MULTIPROCESS_DIRECTORY)
    if chosen:
        directory = Path(chosen)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix="cophub-metrics-"))
        os.environ[MULTIPROCESS_DIRECTORY] = str(directory)
    try:
        yield directory
    finally:
        if not chosen:
            shutil.rmtree(directory, ignore_errors=True)
            os.environ.pop(MULTIPROCESS_DIRECTORY, None)


def metrics_process_dead(pid: int) -> None:
    """Forget a worker's live gauges (gunicorn's ``child_exit`` hook)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
