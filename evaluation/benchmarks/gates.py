"""Promotion gates: the figures a benchmarked route must reach before its model may serve a
slot. Thresholds come from settings (BENCHMARK_GATE_*), read at each call."""

from dataclasses import dataclass

from django.conf import settings

from evaluation.benchmarks.aggregates import RouteFigures
from evaluation.figures import three_places


@dataclass(frozen=True)
class Thresholds:
    p95_ms: int
    json_validity: float
    quality: float


def thresholds() -> Thresholds:
    return Thresholds(p95_ms=settings.BENCHMARK_GATE_P95_MS, json_validity=settings.BENCHMARK_GATE_JSON_VALIDITY,
                      quality=settings.BENCHMARK_GATE_QUALITY)


def gate_failures(figures: RouteFigures) -> list[str]:
    """Why the route may not be promoted; empty when every gate passes."""
    if figures.units == 0:
        return ["no measured units"]
    limits = thresholds()
    failures = []
    if figures.latency is None:
        failures.append("no successful unit, so no p95 latency")
    elif figures.latency.p95 > limits.p95_ms:
        failures.append(f"p95 {figures.latency.p95:.1f} ms > {limits.p95_ms} ms (n={figures.latency.n})")
    if figures.json_validity_rate is None:
        failures.append("no JSON validity measured")
    elif figures.json_validity_rate < limits.json_validity:
        failures.append(f"JSON validity {three_places(figures.json_validity_rate)} < {limits.json_validity}")
    if figures.quality is None:
        failures.append("no quality measured")
    elif figures.quality < limits.quality:
        failures.append(f"quality {three_places(figures.quality)} < {limits.quality}")
    return failures
