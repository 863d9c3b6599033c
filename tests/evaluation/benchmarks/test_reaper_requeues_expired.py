from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_requeues_a_unit_whose_lease_expired_and_leaves_live_leases_alone(run):
    dead, _ = execution.claim_next(run.pk)
    alive, alive_token = execution.claim_next(run.pk)
    BenchmarkUnit.objects.filter(pk=dead.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    assert execution.reap_expired() == (1, 0)

    dead.refresh_from_db()
    assert (dead.status, dead.claim_token, dead.lease_expires_at, dead.attempts) == (BenchmarkUnit.Status.QUEUED, "", None, 1)
    alive.refresh_from_db()
    assert (alive.status, alive.claim_token) == (BenchmarkUnit.Status.RUNNING, alive_token)
