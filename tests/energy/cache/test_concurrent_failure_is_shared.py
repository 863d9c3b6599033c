import asyncio

import pytest

from energy import actions
from energy.models import Recommendation
from evaluation.models import RoutingPolicy
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import post_recommendation, recommendation_body

CONCURRENT = 3


@pytest.mark.django_db(transaction=True)
async def test_it_gives_every_identical_concurrent_request_the_failure_of_the_one_execution(
    async_client, auth_headers, plans, remote_catalog, httpx_mock, pipeline_runs, monkeypatch,
):
    await RoutingPolicy.objects.acreate(pk=1, fallback_slots={"fast": []}, degrade_to_rules=False)
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)
    counted_run_pipeline = actions.run_pipeline

    async def slow_run_pipeline(*args, **kwargs):
        await asyncio.sleep(0.3)
        return await counted_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", slow_run_pipeline)
    body = recommendation_body(mode="fast")

    responses = await asyncio.gather(*(post_recommendation(async_client, auth_headers, body) for _ in range(CONCURRENT)))

    assert [response.status_code for response in responses] == [503] * CONCURRENT
    assert len(pipeline_runs) == 1
    problems = [response.json() for response in responses]
    assert all(problem["errors"] == problems[0]["errors"] for problem in problems)
    assert {error["model"] for error in problems[0]["errors"]} == {"remote/chat-mini"}
    rows = [row async for row in Recommendation.objects.all()]
    assert len(rows) == CONCURRENT
    assert {row.status for row in rows} == {Recommendation.Status.FAILED}
