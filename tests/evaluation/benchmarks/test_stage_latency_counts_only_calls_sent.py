import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import route_figures
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_leaves_tries_that_never_reached_the_model_out_of_the_stage_latency(run):
    execution.drive(run.pk)
    skipped, *_ = run.units.filter(is_warmup=False).order_by("id")
    # The candidate had failed the unit before its narrative: the narrative skipped it at once.
    skipped.stages["narrative"].update(kind="failed_earlier", valid=False, total_ms=0.002)
    skipped.save(update_fields=["stages"])
    measured = BenchmarkUnit.objects.filter(run=run, is_warmup=False).count()

    [figures] = route_figures(run)

    narrative = figures.stages["narrative"]
    assert narrative.latency.n == measured - 1
    assert narrative.valid_rate == round((measured - 1) / measured, 4)
    assert figures.stages["plan_scoring"].latency.n == measured
