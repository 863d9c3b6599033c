import pytest

from energy.models import LLMCall
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body


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
