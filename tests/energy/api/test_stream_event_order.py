"""A streamed answer: `accepted`, `plans`, each stage started then finished, then `result`, the
same body the JSON call answers with; every event numbered in order."""

import pytest

from energy.models import Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import chat_server
from tests.energy.api.payloads import STAGES, assert_recommendation_shape, recommendation_body
from tests.energy.api.streams import kinds, stream_recommendation

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_events_come_in_order_and_end_with_the_result(async_client, auth_headers, plans, remote_catalog,
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
