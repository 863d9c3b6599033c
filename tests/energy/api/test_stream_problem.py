"""A streamed request that gets no answer ends with a `problem` event: the problem the JSON call
answers with."""

import pytest

from energy.models import Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import recommendation_body
from tests.energy.api.streams import kinds, stream_recommendation

pytestmark = pytest.mark.django_db(transaction=True)


async def test_an_outage_ends_the_stream_with_a_problem(async_client, auth_headers, plans, remote_catalog, httpx_mock,
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
