import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_401_with_a_problem_and_a_bearer_challenge(async_client, plans, rules_only_catalog):
    response = await post_recommendation(async_client, {}, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"
    assert "Bearer" in problem["detail"]
    assert await Recommendation.objects.acount() == 0
