"""Recommendations as server-sent events: the order of the events, a cache hit, a problem, and a queued
request followed through its events."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from energy import actions
from energy.models import Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import chat_server
from tests.energy.api.payloads import (
    RECOMMENDATIONS,
    STAGES,
    assert_recommendation_shape,
    post_recommendation,
    recommendation_body,
)
from tests.energy.api.streams import EVENT_STREAM, kinds, read_events, stream_recommendation

pytestmark = pytest.mark.django_db(transaction=True)


# A streamed answer: `accepted`, `plans`, each stage started then finished, then `result`, the same body the JSON call
# answers with; every event numbered in order.
async def test_it_sends_the_events_in_order_and_ends_with_the_result(async_client, auth_headers, plans, remote_catalog,
                                                                httpx_mock):
    httpx_mock.add_callback(chat_server(plans), url=REMOTE_CHAT_URL, method="POST", is_reusable=True)

    events = await stream_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert [data["seq"] for _, data in events] == list(range(1, len(events) + 1))
    assert kinds(events)[:2] == ["accepted", "plans"]
    assert kinds(events)[-1] == "result"
    accepted, result = events[0][1], events[-1][1]
    assert result["id"] == accepted["id"]
    assert accepted["status_url"] == f"/api/v1/recommendations/{accepted['id']}"
    # Exact costs from the facts, before any model answered.
    reference = events[1][1]["plans"]
    assert [p["rank"] for p in reference] == [1, 2, 3]
    assert all(p["projected_annual_cost"] > 0 for p in reference)
    stage_events = [data for kind, data in events if kind == "stage"]
    for stage in STAGES:
        started, finished = [e for e in stage_events if e["stage"] == stage]
        assert (started["status"], finished["status"]) == ("started", "finished")
        assert finished["model"] == "remote/chat-mini"
        assert finished["timings"]["total_ms"] >= 0
        assert started["seq"] < finished["seq"]
    scoring, narrative = ([e["seq"] for e in stage_events if e["stage"] == s] for s in ("plan_scoring", "narrative"))
    assert scoring[1] < narrative[0]  # the narrative explains the scoring's ranking
    assert_recommendation_shape({k: v for k, v in result.items() if k != "seq"})
    row = await Recommendation.objects.aget(pk=accepted["id"])
    assert row.status == Recommendation.Status.SUCCEEDED
    assert row.output["data"] == result["data"]


# A streamed request that the response cache answers gets its `result` at once.
async def test_it_streams_the_result_of_a_cache_hit_at_once(async_client, auth_headers, plans, rules_only_catalog):
    body = recommendation_body(mode="fast")
    await stream_recommendation(async_client, auth_headers, body)

    events = await stream_recommendation(async_client, auth_headers, body)

    assert kinds(events) == ["accepted", "result"]
    assert events[1][1]["metadata"]["cache"]["hit"] is True


# A streamed request that gets no answer ends with a `problem` event: the problem the JSON call answers with.
async def test_it_ends_the_stream_with_a_problem_on_an_outage(async_client, auth_headers, plans, remote_catalog, httpx_mock,
                                                       settings):
    from evaluation.models import RoutingPolicy

    await RoutingPolicy.objects.acreate(pk=1, fallback_slots={"fast": []}, degrade_to_rules=False)
    settings.LLM_MAX_ATTEMPTS = 1
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)

    events = await stream_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert kinds(events)[0] == "accepted"
    assert kinds(events)[-1] == "problem"
    problem = events[-1][1]
    assert (problem["status"], problem["title"]) == (503, "Recommendation failed")
    assert problem["errors"][0]["kind"] == "http_error"
    row = await Recommendation.objects.aget(pk=events[0][1]["id"])
    assert row.status == Recommendation.Status.FAILED


# A queued request (`wait=false`) followed through GET /recommendations/{id}/events: its stages as the worker records
# them, then its result.
async def test_it_streams_the_workers_progress_then_the_result(async_client, auth_headers, plans, rules_only_catalog,
                                                               monkeypatch):
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: None)  # the test is the worker
    queued = (await post_recommendation(async_client, auth_headers, recommendation_body(), wait=False)).json()

    response = await async_client.get(f"{RECOMMENDATIONS}/{queued['id']}/events", headers={**auth_headers, **EVENT_STREAM})
    reading = asyncio.create_task(read_events(response))  # follows the row while it is still queued
    await asyncio.sleep(0.5)
    assert not reading.done()
    await sync_to_async(actions.run_queued_recommendation)(queued["id"])
    events = await asyncio.wait_for(reading, timeout=10)

    assert kinds(events)[:2] == ["accepted", "plans"]
    assert events[0][1]["status"] == "queued"
    assert kinds(events)[-1] == "result"
    stages = [(e["stage"], e["status"]) for kind, e in events if kind == "stage"]
    assert {status for _, status in stages} == {"started", "finished"}
    assert len(stages) == 6
    finished = [e for kind, e in events if kind == "stage" and e["status"] == "finished"]
    assert all(e["model"] == "builtin/rules" and e["timings"] is not None for e in finished)
    assert events[-1][1]["id"] == queued["id"]
