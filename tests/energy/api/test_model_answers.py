"""Answers written by a language model: served and recorded with tokens and cost, a failing provider falls
back to the rules engine, and each why names who wrote it."""

from decimal import Decimal

import pytest

from energy.models import LLMCall, Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import INPUT_TOKENS, SUMMARY, chat_server, renewable_share
from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_serves_the_models_answer_and_records_tokens_and_cost(
    async_client, auth_headers, plans, remote_catalog, httpx_mock,
):
    httpx_mock.add_callback(chat_server(plans), url=REMOTE_CHAT_URL, method="POST", is_reusable=True)

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 200
    answer = response.json()
    assert_recommendation_shape(answer)
    assert answer["metadata"]["errors"] == []
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, "remote/chat-mini")
    assert answer["metadata"]["fallbacks"] == []
    assert answer["data"]["usage_summary"]["summary"] == SUMMARY
    assert [r["plan_id"] for r in answer["data"]["recommendations"]] == [
        plans["credit"].pk, plans["cheap"].pk, plans["green"].pk,
    ]
    assert answer["data"]["recommendations"][2]["why"] == "It is 100% renewable."
    calls = [call async for call in LLMCall.objects.filter(recommendation_id=answer["id"])]
    assert sorted(call.stage for call in calls) == sorted(STAGES)
    for call in calls:
        assert call.status == LLMCall.Status.SUCCEEDED
        assert call.input_tokens == INPUT_TOKENS
        assert call.output_tokens > 0
        assert call.cost_usd == (INPUT_TOKENS * Decimal("0.15") + call.output_tokens * Decimal("0.60")) / 1_000_000
        assert call.resolved_model == "chat-mini-0401"
        assert call.ttft_ms is not None
        assert call.finished_at is not None
        performance = answer["performance"][call.stage]
        assert (performance["input_tokens"], performance["output_tokens"]) == (INPUT_TOKENS, call.output_tokens)
    assert len(httpx_mock.get_requests()) == 3
    assert all(r.headers["Authorization"] == "Bearer sk-test-remote" for r in httpx_mock.get_requests())


@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_and_records_each_failed_call(
    async_client, auth_headers, plans, remote_catalog, httpx_mock,
):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 200
    answer = response.json()
    assert_recommendation_shape(answer)
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, "builtin/rules")
    # The narrative starts after the model failed the request, so it does not call it again.
    reasons = {"usage_summary": "http_error", "plan_scoring": "http_error", "narrative": "failed_earlier"}
    assert sorted(answer["metadata"]["fallbacks"], key=lambda f: f["stage"]) == [
        {"stage": stage, "from": "remote/chat-mini", "to": "builtin/rules", "reason": reasons[stage]}
        for stage in sorted(STAGES)
    ]
    calls = [call async for call in LLMCall.objects.filter(recommendation_id=answer["id"])]
    assert {call.stage for call in calls} == {"usage_summary", "plan_scoring"}
    for call in calls:
        assert call.status == LLMCall.Status.FAILED
        assert call.error_class == "http_error"
        assert "HTTP 500" in call.error_message
        assert call.model_key == "remote/chat-mini"
        assert call.finished_at is not None
    assert await LLMCall.objects.acount() == len(calls)


# The answer says who wrote each plan's why: a chat model's wrong why is replaced with the rules engine's, the other
# two are the model's, and the refusal is in the errors and on the row.
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
        "stage": "narrative", "model": REMOTE_KEY, "kind": "wrong_fact", "plan_id": plans["cheap"].pk,
    }
    # The row keeps what operators need besides: what the model said, and what was wrong with it.
    row = await Recommendation.objects.aget(pk=answer["id"])
    [recorded] = row.errors
    assert recorded == {**error, "message": recorded["message"], "answer": WRONG}
    assert "renewable" in recorded["message"]
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
