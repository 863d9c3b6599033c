"""Scrape-time Prometheus collectors for what the evaluation app knows: each remote model's
circuit breakers, live traffic's and benchmarks' (shared state in the cache, read by whichever
process answers the scrape), and the progress of unfinished benchmark runs. energy.metrics
exposes them with its own."""

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from energy.calls import REMOTE_KINDS
from energy.llm.breaker import STATES, CircuitBreaker
from energy.llm.scopes import BENCHMARK, LIVE, Scope
from evaluation.models import AIModel, BenchmarkRun, BenchmarkUnit

# The live breakers keep the metric's original name, so that alerts on it still mean "out of
# live service"; a benchmark's breaker is a fact about the benchmark.
BREAKER_METRICS: dict[Scope, tuple[str, str]] = {
    LIVE: ("energygenius_circuit_breaker_state", "live traffic's"),
    BENCHMARK: ("energygenius_benchmark_circuit_breaker_state", "benchmarks'"),
}


def breaker_states(scope: Scope = LIVE) -> dict[str, str]:
    """Each remote catalog model's breaker state in `scope`; the other kinds have no breaker."""
    breaker = CircuitBreaker(scope=scope)
    keys = AIModel.objects.filter(provider__kind__in=REMOTE_KINDS).order_by("key").values_list("key", flat=True)
    return {key: breaker.state_name(key) for key in keys}


class BreakerStates(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for scope, (name, whose) in BREAKER_METRICS.items():
            gauge = GaugeMetricFamily(name, f"1 for the state each remote model's circuit breaker for {whose} calls "
                                            "is in, 0 for the others", labels=["model", "state"])
            for model_key, current in breaker_states(scope).items():
                for state in STATES:
                    gauge.add_metric([model_key, state], 1 if state == current else 0)
            yield gauge


class BenchmarkProgress(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        units = GaugeMetricFamily("energygenius_benchmark_units",
                                  "Units of the benchmark runs not yet finished, by run and unit status",
                                  labels=["run", "status"])
        open_runs = BenchmarkRun.objects.exclude(status=BenchmarkRun.Status.FINISHED)
        counts = (BenchmarkUnit.objects.filter(run__in=open_runs).values_list("run_id", "status")
                  .annotate(n=Count("id")).order_by("run_id", "status"))
        for run_id, status, n in counts:
            units.add_metric([str(run_id), status], n)
        yield units
        runs = GaugeMetricFamily("energygenius_benchmark_runs", "Benchmark runs by status", labels=["status"])
        by_status = dict(BenchmarkRun.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in BenchmarkRun.Status.values:
            runs.add_metric([status], by_status.get(status, 0))
        yield runs


COLLECTORS = (BreakerStates(), BenchmarkProgress())
