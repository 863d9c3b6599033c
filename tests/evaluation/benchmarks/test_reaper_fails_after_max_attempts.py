from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_marks_a_unit_failed_once_its_lease_has_expired_max_attempts_times(run, settings):
    settings.BENCHMARK_MAX_ATTEMPTS = 3
    unit, _ = execution.claim_next(run.pk)
    BenchmarkUnit.objects.filter(pk=unit.pk).update(attempts=3, lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert execution.reap_expired() == (0, 1)

    unit.refresh_from_db()
    assert unit.status == BenchmarkUnit.Status.FAILED
    assert unit.finished_at is not None
    assert unit.error == "lease expired 3 times; the worker died or stalled"
