import os
import signal
import time
from collections.abc import Callable

import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkUnit
from evaluation.tasks import reap_benchmarks

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
