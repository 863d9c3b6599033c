"""Identical requests in two processes that share the cache run the pipeline once. The second
process is an event loop in another thread: it has its own in-flight registry, as a process
would, and shares only the cache (and the database) with this one."""

import asyncio

import pytest

from energy import actions
from energy.models import Recommendation
from energy.schemas import RecommendationIn
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_runs_identical_requests_of_two_processes_once(
    async_client, api_key, auth_headers, plans, rules_only_catalog, pipeline_runs, monkeypatch,
):
    counted_run_pipeline = actions.run_pipeline

    async def slow_run_pipeline(*args, **kwargs):
        await asyncio.sleep(0.5)  # long enough for the other process's request to arrive meanwhile
        return await counted_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", slow_run_pipeline)
    body = recommendation_body()

    def other_process() -> dict:
        payload = RecommendationIn.model_validate(body)
        return asyncio.run(actions.recommend(payload, api_key_id=api_key[0].pk, request_id="other-process"))

    here, there = await asyncio.gather(post_recommendation(async_client, auth_headers, body),
                                       asyncio.to_thread(other_process))

    assert here.status_code == 200
    assert len(pipeline_runs) == 1
    caches = sorted([here.json()["metadata"]["cache"], there["metadata"]["cache"]], key=lambda c: c["hit"])
    assert caches[0]["hit"] is False
    assert caches[1]["hit"] is True
    assert caches[1]["shared"] is True
    assert here.json()["data"] == there["data"]
    rows = [row async for row in Recommendation.objects.all()]
    assert {row.status for row in rows} == {Recommendation.Status.SUCCEEDED}
    assert sorted(row.cache_hit for row in rows) == [False, True]
