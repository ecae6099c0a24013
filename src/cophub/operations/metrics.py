"""What ``/metrics`` reports, in the Prometheus text format (prometheus-client).

Counted in each process as it serves:

- ``cophub_http_requests_total{route, method, status}`` and the histogram
  ``cophub_http_request_duration_seconds{route, method, status}``: ``route`` is the URL
  pattern's name (``helplines:help_country``, ``api:resolve``), never the path, which may hold a
  phone number; ``static`` for files WhiteNoise serves, ``unmatched`` when no pattern matched;
  ``status`` is the class (``2xx`` … ``5xx``); ``method`` one of ``METHODS`` or ``other``, so a
  client cannot create series at will;
- ``cophub_reach_pending_counts``: anonymous reach counts held in memory, not yet written
  (``cophub.helplines.services.reach_count``), all processes together;
- ``cophub_reach_last_write_timestamp_seconds``: when reach counts were last written, by any
  process (0: not since the start).

Computed when scraped (``metrics_exposition``):

- ``cophub_reach_flush_lag_seconds``: how long the oldest reach count not yet written has
  waited, in any live process (0 when all are written);
- ``cophub_tasks_ready{queue}``, ``cophub_tasks_running{queue}`` and
  ``cophub_tasks_oldest_ready_age_seconds{queue}``: background tasks waiting for a worker (due
  now), being run, and how long the oldest waiting one has waited, from the database;
- ``cophub_metrics_database_up``: 1, or 0 when the database did not answer (the task metrics
  are then missing).

``cophub serve`` runs several worker processes: each writes its counts to files in
``PROMETHEUS_MULTIPROC_DIR`` and the scrape adds them up (prometheus-client's multiprocess
mode; see ``metrics_processes``). Elsewhere (``cophub demo``, tests) one process keeps them in
memory."""

import os
import time
from collections.abc import Iterable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from cophub.helplines.services import reach_buffer

from .metrics_processes import MULTIPROCESS_DIRECTORY
from .selectors import task_queues

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# The classic text format (0.0.4): what every Prometheus version and most other scrapers read.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

# No "_created" series: they double the output and multiprocess mode has none anyway.
disable_created_metrics()  # type: ignore[no-untyped-call]
_registry = CollectorRegistry(auto_describe=True)
_REQUESTS = Counter(
    "cophub_http_requests",
    "HTTP requests answered, by route (URL pattern name), method and status class.",
    ["route", "method", "status"],
    registry=_registry,
)
_DURATION = Histogram(
    "cophub_http_request_duration_seconds",
    "Time to answer HTTP requests, by route (URL pattern name), method and status class.",
    ["route", "method", "status"],
    registry=_registry,
)
_REACH_PENDING = Gauge(
    "cophub_reach_pending_counts",
    "Anonymous reach counts held in memory, not yet written to the database.",
    registry=_registry,
    multiprocess_mode="livesum",
)
_REACH_WRITTEN = Gauge(
    "cophub_reach_last_write_timestamp_seconds",
    "When reach counts were last written to the database (Unix time; 0: not yet).",
    registry=_registry,
    multiprocess_mode="max",
)
# One value per live process (0: nothing waiting); /metrics turns them into the lag below.
_REACH_WAITING_SINCE = Gauge(
    "cophub_reach_pending_since_timestamp_seconds",
    "Since when the oldest reach count not yet written has waited (Unix time; 0: none).",
    registry=_registry,
    multiprocess_mode="liveall",
)


def request_record(*, route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request, and this process's reach counts as they now stand."""
    labels = (route, method if method in METHODS else "other", f"{status // 100}xx")
    _REQUESTS.labels(*labels).inc()
    _DURATION.labels(*labels).observe(seconds)
    _reach_buffer_record()


def _reach_buffer_record() -> None:
    # Reach counts change only while requests are answered (and at exit, when the process's
    # live gauges go with it), so reading the buffer after each request keeps these current.
    buffer = reach_buffer()
    _REACH_PENDING.set(buffer.pending)
    _REACH_WAITING_SINCE.set(buffer.pending_since or 0)
    _REACH_WRITTEN.set(buffer.written_at or 0)


def metrics_exposition() -> bytes:
    """Every metric, in the Prometheus text format."""
    _reach_buffer_record()  # the scraping process's own, as they are now
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Scrape())
    return generate_latest(registry)


class _Scrape(Collector):
    def collect(self) -> Iterable[Metric]:
        now = time.time()
        waiting_since: list[float] = []
        for family in _counted():
            if family.name == "cophub_reach_pending_since_timestamp_seconds":
                waiting_since += [sample.value for sample in family.samples if sample.value > 0]
            else:
                yield family
        lag = GaugeMetricFamily(
            "cophub_reach_flush_lag_seconds",
            "How long the oldest reach count not yet written has waited (0: all written).",
        )
        lag.add_metric([], max((now - since for since in waiting_since), default=0.0))
        yield lag
        yield from _task_queue_families()


def _counted() -> Iterable[Metric]:
    directory = os.environ.get(MULTIPROCESS_DIRECTORY)
    if directory:
        collector = MultiProcessCollector(None, path=directory)  # type: ignore[no-untyped-call]
        families: Iterable[Metric] = collector.collect()  # type: ignore[no-untyped-call]
        return families
    return _registry.collect()


def _task_queue_families() -> Iterator[Metric]:
    queues = task_queues()
    up = GaugeMetricFamily(
        "cophub_metrics_database_up",
        "1 when the database answered this scrape, 0 when not (the task metrics are missing).",
    )
    up.add_metric([], 0 if queues is None else 1)
    yield up
    if queues is None:
        return
    ready = GaugeMetricFamily(
        "cophub_tasks_ready", "Background tasks due and waiting for a worker.", labels=["queue"]
    )
    running = GaugeMetricFamily(
        "cophub_tasks_running", "Background tasks being run by a worker.", labels=["queue"]
    )
    age = GaugeMetricFamily(
        "cophub_tasks_oldest_ready_age_seconds",
        "How long the oldest waiting background task has waited (0: none waits).",
        labels=["queue"],
    )
    for queue in queues:
        ready.add_metric([queue.name], queue.ready)
        running.add_metric([queue.name], queue.running)
        age.add_metric([queue.name], queue.oldest_ready_age_seconds)
    yield from (ready, running, age)
