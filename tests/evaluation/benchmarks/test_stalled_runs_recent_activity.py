from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_does_not_count_an_old_run_as_stalled_while_its_units_are_still_ending(run, settings):
    settings.BENCHMARK_LEASE_S = 60
    later = timezone.now() + timedelta(seconds=300)
    execution.execute_unit(*execution.claim_next(run.pk))
    # Between two units of a long run: one ended a moment ago, nothing is running right now.
    BenchmarkUnit.objects.filter(run=run, status=BenchmarkUnit.Status.SUCCEEDED).update(
        started_at=later - timedelta(seconds=2), finished_at=later - timedelta(seconds=1))

    assert execution.stalled_runs(now=later) == []
