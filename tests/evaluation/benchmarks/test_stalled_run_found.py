from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark


@pytest.mark.django_db
def test_it_finds_a_run_nobody_has_worked_on_for_a_lease_period_but_not_a_fresh_one(run, suite, settings):
    settings.BENCHMARK_LEASE_S = 60
    later = timezone.now() + timedelta(seconds=61)
    execution.execute_unit(*execution.claim_next(run.pk))
    fresh = start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=1, warmup_repetitions=0)
    fresh.__class__.objects.filter(pk=fresh.pk).update(created_at=later - timedelta(seconds=5))

    assert execution.stalled_runs() == []
    assert execution.stalled_runs(now=later) == [run.pk]
