import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from django_q.models import Task

from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body

DEADLINE_S = 60


async def poll(check: Callable[[], Awaitable[Any]], qcluster, deadline: float) -> Any:
    """The first truthy result of `check`, asked every 0.2 s while the cluster runs."""
    while not (result := await check()):
        assert qcluster.process.poll() is None, f"the cluster exited:\n{qcluster.log()}"
        assert time.monotonic() < deadline, f"nothing after {DEADLINE_S} s:\n{qcluster.log()}"
        await asyncio.sleep(0.2)
    return result


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_queued_recommendation_from_a_real_cluster(
    async_client, auth_headers, plans, rules_only_catalog, qcluster,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(), wait=False)
    assert response.status_code == 202
    accepted = response.json()

    async def finished_status():
        status = (await async_client.get(accepted["status_url"], headers=auth_headers)).json()
        return status if status["status"] in ("succeeded", "failed") else None

    async def finished_task():
        return await Task.objects.filter(func="energy.tasks.run_recommendation").afirst()

    deadline = time.monotonic() + DEADLINE_S
    status = await poll(finished_status, qcluster, deadline)
    assert status["status"] == "succeeded", status["errors"]
    assert status["progress"] == dict.fromkeys(STAGES, "done")
    assert_recommendation_shape(status["result"])
    # The cluster, not this process, ran it.
    task = await poll(finished_task, qcluster, deadline)
    assert (task.args, task.success) == ((accepted["id"],), True)
