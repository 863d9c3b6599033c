import pytest

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkRun, BenchmarkUnit


@pytest.mark.django_db
def test_it_stops_when_its_time_budget_is_spent_and_reports_the_units_left(run):
    assert execution.drive(run.pk, budget_s=0) == (0, True)

    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.QUEUED}
    assert BenchmarkRun.objects.get(pk=run.pk).status == BenchmarkRun.Status.RUNNING
