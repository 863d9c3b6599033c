import pytest

from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import USAGE, post_recommendation, recommendation_body

OPEN_S = 45
# Each request fails the model twice (usage summary and plan scoring), so three open the breaker.
REQUESTS_TO_OPEN = 3


@pytest.mark.django_db(transaction=True)
async def test_it_tells_the_client_to_come_back_when_the_breaker_lets_calls_through_again(
    async_client, auth_headers, plans, remote_only_route, httpx_mock, settings,
):
    settings.RETRY_AFTER_ON_OUTAGE_S = 7
    settings.BREAKER_OPEN_S = OPEN_S
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)
    for number in range(REQUESTS_TO_OPEN):
        failing = await post_recommendation(async_client, auth_headers,
                                            recommendation_body(mode="fast", monthly_usage_kwh=[u + number for u in USAGE]))
        assert failing["Retry-After"] == "7"  # the model just failed: no hint, the configured pause

    response = await post_recommendation(async_client, auth_headers,
                                         recommendation_body(mode="fast", monthly_usage_kwh=[u + 9 for u in USAGE]))

    assert response.status_code == 503
    assert {error["kind"] for error in response.json()["errors"]} == {"circuit_open"}
    assert response["Retry-After"] == str(OPEN_S)  # ceil of the 44.9… s the breaker stays open
