"""Claims: a worker claims one queued unit at a time under a lease; no unit is claimed twice, and a
worker that lost its lease has its result discarded."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
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


WORKERS = 4


@pytest.mark.django_db(transaction=True)
def test_it_never_hands_the_same_unit_to_two_workers_claiming_at_once(run):
    claimed: list[list[int]] = [[] for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)

    def worker(mine: list[int]) -> None:
        try:
            start.wait()
            while (claim := execution.claim_next(run.pk)) is not None:
                mine.append(claim[0].pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    every_claim = [unit_id for mine in claimed for unit_id in mine]
    assert len(every_claim) == len(set(every_claim)) == run.units.count()
    assert set(run.units.values_list("attempts", flat=True)) == {1}
    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.RUNNING}


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
