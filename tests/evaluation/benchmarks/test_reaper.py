"""The reaper: units whose lease expired are requeued (or failed after the last attempt), runs nobody
works on are found and restarted, so a run survives its cluster being killed."""

import os
import signal
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkUnit
from evaluation.tasks import reap_benchmarks


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


@pytest.mark.django_db
def test_it_finds_a_run_nobody_has_worked_on_for_a_lease_period_but_not_a_fresh_one(run, suite, settings):
    settings.BENCHMARK_LEASE_S = 60
    later = timezone.now() + timedelta(seconds=61)
    execution.execute_unit(*execution.claim_next(run.pk))
    fresh = start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=1, warmup_repetitions=0)
    fresh.__class__.objects.filter(pk=fresh.pk).update(created_at=later - timedelta(seconds=5))

    assert execution.stalled_runs() == []
    assert execution.stalled_runs(now=later) == [run.pk]


@pytest.mark.django_db
def test_it_does_not_count_an_old_run_as_stalled_while_its_units_are_still_ending(run, settings):
    settings.BENCHMARK_LEASE_S = 60
    later = timezone.now() + timedelta(seconds=300)
    execution.execute_unit(*execution.claim_next(run.pk))
    # Between two units of a long run: one ended a moment ago, nothing is running right now.
    BenchmarkUnit.objects.filter(run=run, status=BenchmarkUnit.Status.SUCCEEDED).update(
        started_at=later - timedelta(seconds=2), finished_at=later - timedelta(seconds=1))

    assert execution.stalled_runs(now=later) == []


DEADLINE_S = 120
LEASE_S = "1"


def wait_for(condition: Callable[[], bool], cluster, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert cluster.process.poll() is None, f"the cluster exited:\n{cluster.log()}"
        assert time.monotonic() < deadline, f"no {what} after {DEADLINE_S} s:\n{cluster.log()}"
        time.sleep(0.05)


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_it_finishes_every_unit_once_after_the_cluster_is_killed_with_9_mid_run(suite, rules_a, start_qcluster, settings):
    settings.BENCHMARK_LEASE_S = int(LEASE_S)
    run = start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=50, warmup_repetitions=0)
    units = BenchmarkUnit.objects.filter(run=run)
    first = start_qcluster(BENCHMARK_LEASE_S=LEASE_S)
    wait_for(lambda: units.filter(status=BenchmarkUnit.Status.SUCCEEDED).count() >= 20, first, "unit done")

    os.killpg(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    assert units.exclude(status__in=BenchmarkUnit.TERMINAL).exists(), "the run ended before the kill"
    # The worker died holding a unit, or between two: then one is claimed here for a worker that dies at once.
    held = units.filter(status=BenchmarkUnit.Status.RUNNING).first() or execution.claim_next(run.pk)[0]

    second = start_qcluster(BENCHMARK_LEASE_S=LEASE_S)
    # What the every-minute schedule does: once the lease has expired and the run has been quiet
    # for a lease period, the held unit is requeued and a new driver is queued.
    wait_for(lambda: run.pk in reap_benchmarks()["restarted"], second, "restart")
    wait_for(lambda: BenchmarkRun.objects.get(pk=run.pk).status == BenchmarkRun.Status.FINISHED, second, "finished run")

    assert units.count() == len(set(units.values_list("unit_key", flat=True))) == 400
    assert set(units.values_list("status", flat=True)) == {BenchmarkUnit.Status.SUCCEEDED}
    held.refresh_from_db()
    assert (held.status, held.attempts) == (BenchmarkUnit.Status.SUCCEEDED, 2)
