"""The promotion gates: figures that meet every threshold pass; each threshold missed is named."""

from dataclasses import replace

import pytest

from evaluation.benchmarks.aggregates import RouteFigures
from evaluation.benchmarks.gates import gate_failures
from evaluation.figures import Percentiles, three_places

# Route figures built by hand: they pass every default threshold.
PASSING = RouteFigures(
    route_id=1, label="local/candidate", units=20, failed=0, error_rate=0.0, json_validity_rate=0.95, quality=0.8,
    stage_models=dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), "local/candidate"),
    latency=Percentiles(p50=1200.0, p90=3000.0, p95=5000.0, p99=6500.0, n=20), cost_per_recommendation=0.0004,
)


def test_it_passes_figures_that_meet_every_threshold_exactly(settings):
    settings.BENCHMARK_GATE_P95_MS = 5000
    settings.BENCHMARK_GATE_JSON_VALIDITY = 0.95
    settings.BENCHMARK_GATE_QUALITY = 0.8

    assert gate_failures(PASSING) == []


@pytest.mark.parametrize(("changes", "failure"), [
    ({"latency": Percentiles(p50=1200.0, p90=3000.0, p95=5000.5, p99=6500.0, n=20)}, "p95 5000.5 ms > 5000 ms (n=20)"),
    ({"latency": None}, "no successful unit, so no p95 latency"),
    ({"json_validity_rate": 0.9499}, "JSON validity 0.950 < 0.95"),
    ({"json_validity_rate": None}, "no JSON validity measured"),
    ({"quality": 0.79}, "quality 0.790 < 0.8"),
    ({"quality": None}, "no quality measured"),
    ({"units": 0}, "no measured units"),
])
def test_it_names_each_threshold_the_figures_miss(settings, changes, failure):
    settings.BENCHMARK_GATE_P95_MS = 5000
    settings.BENCHMARK_GATE_JSON_VALIDITY = 0.95
    settings.BENCHMARK_GATE_QUALITY = 0.8

    assert gate_failures(replace(PASSING, **changes)) == [failure]


def test_it_reads_the_thresholds_from_settings_at_each_call(settings):
    settings.BENCHMARK_GATE_P95_MS = 100
    settings.BENCHMARK_GATE_JSON_VALIDITY = 0.99
    settings.BENCHMARK_GATE_QUALITY = 0.9

    assert gate_failures(PASSING) == ["p95 5000.0 ms > 100 ms (n=20)", "JSON validity 0.950 < 0.99", "quality 0.800 < 0.9"]


def test_a_gate_message_rounds_a_figure_as_the_pages_do():
    # 0.7875 is stored (4 places) and shown 0.788 by every page's floatformat; f"{0.7875:.3f}" would say 0.787.
    assert three_places(0.7875) == "0.788"
    assert three_places(0.78749) == "0.787"
    assert three_places(1.0) == "1.000"
