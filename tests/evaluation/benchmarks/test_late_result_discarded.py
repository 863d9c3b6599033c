from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_discards_the_result_of_a_worker_that_lost_its_lease(run):
    slow_unit, slow_token = execution.claim_next(run.pk)
    # The slow worker is presumed dead: its lease runs out and the reaper requeues the unit.
    BenchmarkUnit.objects.filter(pk=slow_unit.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert execution.reap_expired() == (1, 0)
    unit, token = execution.claim_next(run.pk)
    assert unit.pk == slow_unit.pk
    assert execution.execute_unit(unit, token) is True
    stored = BenchmarkUnit.objects.get(pk=unit.pk)

    late = execution.execute_unit(slow_unit, slow_token)

    assert late is False
    after = BenchmarkUnit.objects.get(pk=unit.pk)
    assert (after.status, after.claim_token, after.attempts) == (BenchmarkUnit.Status.SUCCEEDED, token, 2)
    assert (after.finished_at, after.total_ms, after.stages) == (stored.finished_at, stored.total_ms, stored.stages)
    assert BenchmarkUnit.objects.filter(unit_key=unit.unit_key).count() == 1
