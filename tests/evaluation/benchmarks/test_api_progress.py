import pytest
from asgiref.sync import sync_to_async

from evaluation.benchmarks import execution
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


def work_a_little(run_id: int) -> None:
    """Three units done (the warm-up first), a fourth one in a worker's hands."""
    for _ in range(3):
        execution.execute_unit(*execution.claim_next(run_id))
    execution.claim_next(run_id)


@pytest.mark.django_db(transaction=True)
async def test_it_reports_the_units_per_status_and_the_share_that_has_ended(async_client, operator_headers, suite, rules_a,
                                                                           queued_tasks):
    accepted = (await post_benchmark(async_client, benchmark_body(warmup_repetitions=1), operator_headers)).json()
    before = (await async_client.get(accepted["status_url"], headers=operator_headers)).json()
    await sync_to_async(work_a_little)(accepted["id"])

    during = (await async_client.get(accepted["status_url"], headers=operator_headers)).json()

    assert (before["status"], before["aggregates"]) == ("queued", None)
    assert before["progress"] == {"total": 17, "queued": 17, "running": 0, "succeeded": 0, "failed": 0, "terminal": 0,
                                  "percent": 0.0}
    assert during["progress"] == {"total": 17, "queued": 13, "running": 1, "succeeded": 3, "failed": 0, "terminal": 3,
                                  "percent": 17.6}
    [route] = during["aggregates"]
    assert route["latency"]["n"] == 2  # the warm-up unit does not count
