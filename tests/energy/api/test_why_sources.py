"""The answer says who wrote each plan's why: a chat model's wrong why is replaced with the rules
engine's, the other two are the model's, and the refusal is in the errors and on the row."""


import pytest

from energy.models import LLMCall, Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import chat_server, renewable_share
from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body

REMOTE_KEY = "remote/chat-mini"
WRONG = "It is 100% renewable."  # Cheap 12 is 0 % renewable


@pytest.fixture
def one_wrong_why(httpx_mock, plans):
    def why(plan) -> str:
        return WRONG if plan == plans["cheap"] else renewable_share(plan)

    httpx_mock.add_callback(chat_server(plans, why=why), url=REMOTE_CHAT_URL, method="POST", is_reusable=True)


@pytest.mark.django_db(transaction=True)
async def test_it_names_the_writer_of_each_why(async_client, auth_headers, plans, remote_catalog, one_wrong_why):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 200
    answer = response.json()
    assert_recommendation_shape(answer)
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert answer["metadata"]["fallbacks"] == []
    assert answer["metadata"]["narrative_sources"] == [
        {"plan_id": plans["credit"].pk, "source": REMOTE_KEY, "reason": None},
        {"plan_id": plans["cheap"].pk, "source": "builtin/rules", "reason": "wrong_fact"},
        {"plan_id": plans["green"].pk, "source": REMOTE_KEY, "reason": None},
    ]
    whys = [r["why"] for r in answer["data"]["recommendations"]]
    assert whys[0] == "It is 50% renewable."
    assert whys[1].startswith("Ranked #2: ")  # the rules engine's
    assert "0% renewable" in whys[1]
    assert whys[2] == "It is 100% renewable."


@pytest.mark.django_db(transaction=True)
async def test_it_records_the_refused_why(async_client, auth_headers, plans, remote_catalog, one_wrong_why):
    answer = (await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))).json()

    [error] = answer["metadata"]["errors"]
    assert {k: v for k, v in error.items() if k != "message"} == {
        "stage": "narrative", "model": REMOTE_KEY, "kind": "wrong_fact", "answer": WRONG, "plan_id": plans["cheap"].pk,
    }
    row = await Recommendation.objects.aget(pk=answer["id"])
    assert row.errors == [error]
    assert row.models_used["narrative"] == REMOTE_KEY
    # The model's answer was used, in part: its call is not marked rejected.
    call = await LLMCall.objects.aget(recommendation_id=answer["id"], stage="narrative")
    assert call.status == LLMCall.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_cache_an_answer_with_a_replaced_why(
    async_client, auth_headers, plans, remote_catalog, one_wrong_why, httpx_mock,
):
    body = recommendation_body(mode="fast")

    await post_recommendation(async_client, auth_headers, body)
    second = (await post_recommendation(async_client, {**auth_headers, "X-Request-ID": "again"}, body)).json()

    assert second["metadata"]["cache"]["hit"] is False
    assert len(httpx_mock.get_requests()) == 2 * len(STAGES)
