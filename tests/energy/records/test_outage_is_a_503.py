import pytest

from energy.models import Recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_503_with_retry_after_when_every_model_fails(
    async_client, auth_headers, plans, remote_only_route, httpx_mock, settings,
):
    settings.RETRY_AFTER_ON_OUTAGE_S = 7
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "7"
    problem = response.json()
    assert problem["title"] == "Recommendation failed"
    assert "remote/chat-mini" in problem["detail"]
    assert problem["errors"]
    assert {error["model"] for error in problem["errors"]} == {"remote/chat-mini"}
    assert {error["kind"] for error in problem["errors"]} == {"http_error"}
    row = await Recommendation.objects.aget()
    assert row.status == Recommendation.Status.FAILED
    assert row.errors == problem["errors"]
    assert row.finished_at is not None
