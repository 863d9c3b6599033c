import numpy as np
import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import route_figures
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_computes_numpys_linear_percentiles_over_the_stored_samples_with_n(run):
    execution.drive(run.pk)
    measured = list(run.units.filter(is_warmup=False).order_by("id"))
    # Irregular, skewed samples, so that every percentile lands between two of them.
    for position, unit in enumerate(measured):
        unit.total_ms = 3.0 + position**1.7
        unit.stages["plan_scoring"]["total_ms"] = 1.0 + (position * 7919 % 13) / 3
        unit.save(update_fields=["total_ms", "stages"])

    [figures] = route_figures(run)

    totals = [u.total_ms for u in BenchmarkUnit.objects.filter(run=run, is_warmup=False)]
    expected = np.percentile(totals, [50, 90, 95, 99], method="linear").round(3).tolist()
    latency = figures.latency
    assert [latency.p50, latency.p90, latency.p95, latency.p99] == expected
    assert latency.n == len(totals) == 16
    assert latency.p99_reliable is False
    stage_samples = [u.stages["plan_scoring"]["total_ms"] for u in BenchmarkUnit.objects.filter(run=run, is_warmup=False)]
    stage = figures.stages["plan_scoring"].latency
    assert [stage.p50, stage.p90, stage.p95, stage.p99] == np.percentile(
        stage_samples, [50, 90, 95, 99], method="linear").round(3).tolist()
    assert stage.n == 16
