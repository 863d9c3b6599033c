import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import post_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_answers_400_to_a_body_that_is_not_json(async_client, auth_headers, plans, rules_only_catalog):
    response = await post_recommendation(async_client, auth_headers, "monthly_usage_kwh=1200")

    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert await Recommendation.objects.acount() == 0


@pytest.mark.parametrize("body", ["", "{}", "[]", "null"])
@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_client_error_to_an_empty_body(async_client, auth_headers, plans, rules_only_catalog, body):
    response = await post_recommendation(async_client, auth_headers, body)

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
    assert await Recommendation.objects.acount() == 0
