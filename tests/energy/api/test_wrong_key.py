import pytest

from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_key_that_was_never_issued(async_client, api_key, plans, rules_only_catalog):
    _, raw = api_key
    headers = {"Authorization": f"Bearer {raw[:-4]}XXXX"}

    response = await post_recommendation(async_client, headers, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_scheme_other_than_bearer(async_client, api_key, plans, rules_only_catalog):
    _, raw = api_key

    response = await post_recommendation(async_client, {"Authorization": f"Basic {raw}"}, recommendation_body())

    assert response.status_code == 401
