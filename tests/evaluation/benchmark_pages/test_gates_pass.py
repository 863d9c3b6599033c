from evaluation.benchmarks.gates import gate_failures
from tests.evaluation.benchmark_pages.figures import PASSING


def test_it_passes_figures_that_meet_every_threshold_exactly(settings):
    settings.BENCHMARK_GATE_P95_MS = 5000
    settings.BENCHMARK_GATE_JSON_VALIDITY = 0.95
    settings.BENCHMARK_GATE_QUALITY = 0.8

    assert gate_failures(PASSING) == []
