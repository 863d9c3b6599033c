"""An outage (every model of a route failing): a documented 503 whose Retry-After follows the breaker, and a
rules slot kept even with degrading off."""

import pytest

from energy.models import Recommendation
from evaluation.catalog.routes import RULES_KEY, active_route
from evaluation.models import RoutingPolicy
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import USAGE, post_recommendation, recommendation_body


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
    assert [(e["stage"], e["model"], e["kind"]) for e in row.errors] == [
        (e["stage"], e["model"], e["kind"]) for e in problem["errors"]]
    assert row.finished_at is not None


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_503_problem_with_retry_after_in_the_schema(async_client):
    schema = (await async_client.get("/api/v1/openapi.json")).json()

    documented = schema["paths"]["/api/v1/recommendations"]["post"]["responses"]["503"]
    assert "Retry-After" in documented["headers"]
    content = documented["content"]["application/problem+json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ProblemOut"}
    assert content["example"]["status"] == 503
    assert content["example"]["errors"][0]["model"]


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


@pytest.mark.django_db
def test_it_appends_no_rules_engine_when_degrading_is_off_but_keeps_a_slot_on_it(remote_catalog):
    RoutingPolicy.objects.create(pk=1, degrade_to_rules=False)

    fast, accurate = active_route("fast"), active_route("accurate")

    # fast: its own slot (remote) and the accurate slot, which is on the rules engine itself.
    assert [model.key for model in fast.chain("narrative")] == ["remote/chat-mini", RULES_KEY]
    assert [model.key for model in accurate.chain("narrative")] == [RULES_KEY]
    RoutingPolicy.objects.filter(pk=1).update(fallback_slots={"fast": []})
    assert [model.key for model in active_route("fast").chain("narrative")] == ["remote/chat-mini"]
