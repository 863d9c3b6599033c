import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import route_figures


@pytest.mark.django_db
def test_it_leaves_warm_up_units_out_of_every_figure(run):
    execution.drive(run.pk)
    run.units.filter(is_warmup=True).update(total_ms=1_000_000.0, json_valid=False, quality_score=0.0, cost_usd=5)
    run.units.filter(is_warmup=False).update(total_ms=2.0)

    [figures] = route_figures(run)

    assert figures.units == 16
    assert (figures.latency.n, figures.latency.p99) == (16, 2.0)
    assert (figures.json_validity_rate, figures.quality, figures.cost_per_recommendation) == (1.0, 1.0, 0.0)
