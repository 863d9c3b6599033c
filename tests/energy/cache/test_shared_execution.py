"""Identical requests run the pipeline once and share its result or its failure, within one process and
across processes; a request takes over when the process computing its answer gave up."""

import asyncio

import pytest
from django.core.cache import cache

from energy import actions, response_cache
from energy.models import Recommendation
from energy.schemas import RecommendationIn
from evaluation.models import RoutingPolicy
from tests.conftest import REMOTE_CHAT_URL
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


CONCURRENT_FAILING = 3


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

    responses = await asyncio.gather(*(post_recommendation(async_client, auth_headers, body) for _ in range(CONCURRENT_FAILING)))

    assert [response.status_code for response in responses] == [503] * CONCURRENT_FAILING
    assert len(pipeline_runs) == 1
    problems = [response.json() for response in responses]
    assert all(problem["errors"] == problems[0]["errors"] for problem in problems)
    assert {error["model"] for error in problems[0]["errors"]} == {"remote/chat-mini"}
    rows = [row async for row in Recommendation.objects.all()]
    assert len(rows) == CONCURRENT_FAILING
    assert {row.status for row in rows} == {Recommendation.Status.FAILED}


# Identical requests in two processes that share the cache run the pipeline once. The second process is an event loop
# in another thread: it has its own in-flight registry, as a process would, and shares only the cache (and the
# database) with this one.
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


# A request whose answer another process is computing waits for it; when that process ends without a cacheable answer
# (it failed, or its answer had errors) its claim is released, and the waiting request computes the answer itself,
# claimed.
KEY = "a" * 64


@pytest.mark.django_db(transaction=True)
async def test_it_waits_for_the_other_process_and_takes_its_answer():
    assert await response_cache.claim(KEY)  # the other process

    async def other_process_answers() -> None:
        await asyncio.sleep(0.2)
        await response_cache.store(KEY, {"id": "theirs"})
        await response_cache.release(KEY)

    turn, _ = await asyncio.gather(response_cache.follow_other_process(KEY), other_process_answers())

    assert turn.answer is not None
    assert turn.answer.response == {"id": "theirs"}
    assert not turn.claimed


@pytest.mark.django_db(transaction=True)
async def test_a_claim_won_just_after_the_other_process_answered_serves_that_answer():
    """This request looked the cache up (a miss) before the other process stored its answer and
    released its claim: winning the claim now must not compute the answer a second time."""
    assert await response_cache.claim(KEY)  # the other process
    await response_cache.store(KEY, {"id": "theirs"})
    await response_cache.release(KEY)

    turn = await response_cache.follow_other_process(KEY)

    assert turn.answer is not None
    assert turn.answer.response == {"id": "theirs"}
    assert not turn.claimed
    assert await response_cache.claim(KEY)  # and the claim it won for a moment is free again


@pytest.mark.django_db(transaction=True)
async def test_it_claims_the_key_once_the_other_process_gave_up():
    assert await response_cache.claim(KEY)

    async def other_process_fails() -> None:
        await asyncio.sleep(0.2)
        await response_cache.release(KEY)  # no answer stored

    turn, _ = await asyncio.gather(response_cache.follow_other_process(KEY), other_process_fails())

    assert turn.answer is None
    assert turn.claimed
    assert not await response_cache.claim(KEY)  # this request holds it now


@pytest.mark.django_db(transaction=True)
async def test_it_stops_waiting_at_the_request_deadline():
    assert await response_cache.claim(KEY)  # held by a process that died mid-request

    turn = await response_cache.follow_other_process(KEY, deadline_s=0.3)

    assert turn.answer is None
    assert not turn.claimed
    assert await cache.aget(response_cache.FLIGHT_PREFIX + KEY) is not None
