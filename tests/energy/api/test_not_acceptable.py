"""An Accept header the API does not serve gets 406, as a problem that names the header."""

import pytest

from tests.energy.api.payloads import RECOMMENDATIONS, post_recommendation, recommendation_body

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_refuses_a_client_that_accepts_only_html(async_client, auth_headers, plans, rules_only_catalog):
    response = await post_recommendation(async_client, {**auth_headers, "Accept": "text/html"}, recommendation_body())

    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == "Accept"
    assert "text/event-stream" in problem["detail"]


async def test_it_refuses_events_to_a_json_only_client(async_client, auth_headers, plans, rules_only_catalog):
    answer = (await post_recommendation(async_client, auth_headers, recommendation_body())).json()

    response = await async_client.get(f"{RECOMMENDATIONS}/{answer['id']}/events",
                                      headers={**auth_headers, "Accept": "application/json"})

    assert response.status_code == 406
    assert response.json()["errors"][0]["message"] == "accept one of: text/event-stream"


@pytest.mark.parametrize("accept", ["*/*", "application/*", "application/json, text/event-stream;q=0.5", ""])
async def test_it_answers_json_to_a_generic_accept(async_client, auth_headers, plans, rules_only_catalog, accept):
    response = await post_recommendation(async_client, {**auth_headers, "Accept": accept}, recommendation_body())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


async def test_it_accepts_none_of_the_refused_types(async_client, auth_headers, plans, rules_only_catalog):
    headers = {**auth_headers, "Accept": "application/json;q=0, text/event-stream;q=0"}
    response = await post_recommendation(async_client, headers, recommendation_body())

    assert response.status_code == 406
