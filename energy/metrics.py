"""Prometheus instruments for the serving path, and the exposition of every metric.

Counters and histograms are recorded where things happen (requests, stages, upstream calls,
the response cache). With several processes (uvicorn workers, the django-q2 cluster's workers),
prometheus_client's multiprocess mode adds them up: each process writes its samples to files in
PROMETHEUS_MULTIPROC_DIR (bin/serve sets and empties it), and a scrape reads them all. Figures
that live in shared state (breakers, the queue, benchmark progress) are read at scrape time by
collectors, so they are right whichever process answers the scrape.
"""

import os
import re
from collections.abc import Iterable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

# Seconds: from a cache hit (a few ms) to a slow embedded-model request (the 20 s deadline).
LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60)

REQUEST_SECONDS = Histogram(
    "energygenius_http_request_duration_seconds",
    "HTTP request latency, by URL route (the pattern, not the path), method, status and recommendation mode",
    ["route", "method", "status", "mode"], buckets=LATENCY_BUCKETS,
)
STAGE_SECONDS = Histogram(
    "energygenius_stage_duration_seconds",
    "Pipeline stage latency (the served attempt, fallbacks included), by stage and the model that served it",
    ["stage", "model"], buckets=LATENCY_BUCKETS,
)
LLM_CALLS = Counter(
    "energygenius_llm_calls_total",
    "Upstream model calls by how they ended (succeeded, failed, timeout, cancelled); `rejected` counts "
    "answers a stage refused afterwards, which were first counted as succeeded",
    ["model", "status"],
)
RESPONSE_CACHE = Counter(
    "energygenius_response_cache_lookups_total",
    "Recommendations answered from the response cache or an identical request in flight (hit), or computed (miss)",
    ["result"],
)

# A route pattern as Django resolved it ("api/v1/recommendations/<uuid:recommendation_id>"): its
# converters are dropped so the label reads like the API reference.
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_label(pattern: str | None) -> str:
    if not pattern:
        return "unmatched"
    return "/" + _CONVERTER.sub(r"{\1}", pattern).lstrip("^").rstrip("$")


def observe_request(route: str | None, method: str, status: int, mode: str, seconds: float) -> None:
    REQUEST_SECONDS.labels(route_label(route), method, str(status), mode).observe(seconds)


def observe_stage(stage: str, model_key: str, total_ms: float) -> None:
    STAGE_SECONDS.labels(stage, model_key).observe(total_ms / 1000)


def count_llm_call(model_key: str, status: str) -> None:
    LLM_CALLS.labels(model_key, status).inc()


def count_cache_lookup(hit: bool) -> None:
    RESPONSE_CACHE.labels("hit" if hit else "miss").inc()


class QueueDepth(Collector):
    """Tasks waiting in the django-q2 broker (ORM or Redis), read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_q.brokers import get_broker

        gauge = GaugeMetricFamily("energygenius_task_queue_depth", "Tasks queued in the django-q2 broker")
        gauge.add_metric([], get_broker().queue_size() or 0)
        yield gauge


def exposition(collectors: Iterable[Collector] = (), accept: str = "") -> tuple[bytes, str]:
    """Every metric (all processes' in multiprocess mode) in the format the scraper's Accept header
    asks for (OpenMetrics, or the Prometheus text format, 0.0.4 by default), and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessMetrics())
    for collector in (QueueDepth(), *collectors):
        registry.register(collector)
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type


class _ProcessMetrics(Collector):
    """One process's own instruments (the default registry), next to the scrape-time collectors."""

    def collect(self):
        return REGISTRY.collect()
