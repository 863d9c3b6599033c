import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import route_figures
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_counts_failed_units_and_units_with_a_rejected_stage_as_errors(run):
    execution.drive(run.pk)
    failed, rejected, invalid_json, *_ = run.units.filter(is_warmup=False).order_by("id")
    BenchmarkUnit.objects.filter(pk=failed.pk).update(status=BenchmarkUnit.Status.FAILED, error="ProviderError: boom")
    # The candidate's narrative was rejected and the rules engine served it instead.
    rejected.stages["narrative"]["served_by_candidate"] = False
    rejected.save(update_fields=["stages"])
    BenchmarkUnit.objects.filter(pk=invalid_json.pk).update(json_valid=False)

    [figures] = route_figures(run)

    assert (figures.units, figures.failed) == (16, 1)
    assert figures.error_rate == round(2 / 16, 4)
    assert figures.json_validity_rate == round(14 / 15, 4)  # over the 15 units that produced an output
    assert figures.latency.n == 15
