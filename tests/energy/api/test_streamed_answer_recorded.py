from decimal import Decimal

import pytest

from energy.models import LLMCall
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import INPUT_TOKENS, SUMMARY, chat_server
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
