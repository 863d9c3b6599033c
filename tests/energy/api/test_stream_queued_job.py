"""A queued request (`wait=false`) followed through GET /recommendations/{id}/events: its stages
as the worker records them, then its result."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from energy import actions
from tests.energy.api.payloads import RECOMMENDATIONS, post_recommendation, recommendation_body
from tests.energy.api.streams import EVENT_STREAM, kinds, read_events

pytestmark = pytest.mark.django_db(transaction=True)


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
