import threading

import pytest
from django.db import connection

from evaluation.benchmarks import execution
from evaluation.models import BenchmarkUnit

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
