import asyncio

import pytest

from energy import actions
from energy.models import Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body

CONCURRENT = 5


@pytest.mark.django_db(transaction=True)
async def test_it_runs_identical_concurrent_requests_once(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs, monkeypatch,
):
    counted_run_pipeline = actions.run_pipeline

    async def slow_run_pipeline(*args, **kwargs):
        await asyncio.sleep(0.3)  # long enough for every request to arrive while the first runs
        return await counted_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", slow_run_pipeline)
    body = recommendation_body()

    responses = await asyncio.gather(*(post_recommendation(async_client, auth_headers, body) for _ in range(CONCURRENT)))

    assert [response.status_code for response in responses] == [200] * CONCURRENT
    assert len(pipeline_runs) == 1
    caches = [response.json()["metadata"]["cache"] for response in responses]
    assert sum(not cache["hit"] for cache in caches) == 1
    assert sum(cache["hit"] and cache["shared"] for cache in caches) == CONCURRENT - 1
    assert len({response.json()["id"] for response in responses}) == CONCURRENT
    rows = [row async for row in Recommendation.objects.all()]
    assert len(rows) == CONCURRENT
    assert {row.status for row in rows} == {Recommendation.Status.SUCCEEDED}
    assert sum(row.cache_hit for row in rows) == CONCURRENT - 1
