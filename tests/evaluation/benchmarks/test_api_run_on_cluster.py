import asyncio
import time

import pytest
from django_q.models import Task

from evaluation.models import BenchmarkUnit
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark

DEADLINE_S = 120


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
async def test_it_runs_8_scenarios_by_2_models_by_3_repetitions_started_through_the_api_on_a_real_cluster(
    async_client, operator_headers, suite, rules_a, rules_b, qcluster,
):
    body = benchmark_body(routes=["test/rules-a", "test/rules-b"], repetitions=3, warmup_repetitions=0)
    response = await post_benchmark(async_client, body, operator_headers)
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["units"] == 48

    deadline = time.monotonic() + DEADLINE_S
    while (status := (await async_client.get(accepted["status_url"], headers=operator_headers)).json())["status"] != "finished":
        assert qcluster.process.poll() is None, f"the cluster exited:\n{qcluster.log()}"
        assert time.monotonic() < deadline, f"not finished after {DEADLINE_S} s: {status['progress']}\n{qcluster.log()}"
        await asyncio.sleep(0.5)

    assert status["progress"] == {"total": 48, "queued": 0, "running": 0, "succeeded": 48, "failed": 0, "terminal": 48,
                                  "percent": 100.0}
    assert [(route["label"], route["latency"]["n"]) for route in status["aggregates"]] == [("test/rules-a", 24),
                                                                                          ("test/rules-b", 24)]
    units = [unit async for unit in BenchmarkUnit.objects.filter(run_id=accepted["id"])]
    assert len({unit.unit_key for unit in units}) == 48
    assert {(unit.status, unit.attempts) for unit in units} == {(BenchmarkUnit.Status.SUCCEEDED, 1)}
    # The cluster ran it, not this process (its monitor records the task a moment after it returns).
    while not (driver := await Task.objects.filter(func="evaluation.tasks.drive_benchmark").afirst()):
        assert time.monotonic() < deadline, f"no task recorded:\n{qcluster.log()}"
        await asyncio.sleep(0.2)
    assert (driver.args, driver.success) == ((accepted["id"],), True)
