from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_marks_the_claimed_unit_running_with_a_token_a_lease_and_one_more_attempt(run, settings):
    settings.BENCHMARK_LEASE_S = 60
    before = timezone.now()

    unit, token = execution.claim_next(run.pk)

    unit.refresh_from_db()
    assert unit.is_warmup  # warm-up units are claimed first
    assert unit.status == BenchmarkUnit.Status.RUNNING
    assert unit.claim_token == token
    assert len(token) == 32
    assert unit.attempts == 1
    assert before + timedelta(seconds=60) <= unit.lease_expires_at <= timezone.now() + timedelta(seconds=60)
    assert unit.started_at >= before
