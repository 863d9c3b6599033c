import pytest

from energy.models import LLMCall, Recommendation
from tests.energy.api.payloads import error_fields, post_recommendation, recommendation_body


@pytest.mark.parametrize(("preferences", "field"), [
    ({"max_monthly_budget": -1}, "preferences.max_monthly_budget"),
    ({"min_renewable_pct": 101}, "preferences.min_renewable_pct"),
    ({"min_renewable_pct": -1}, "preferences.min_renewable_pct"),
    ({"max_contract_months": -3}, "preferences.max_contract_months"),
])
@pytest.mark.django_db(transaction=True)
async def test_it_names_the_bad_preference_and_writes_nothing(async_client, auth_headers, plans, rules_only_catalog,
                                                              preferences, field):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(preferences=preferences))

    assert response.status_code == 422
    problem = response.json()
    assert error_fields(problem) == [field]
    assert field in problem["detail"]
    assert await Recommendation.objects.acount() == 0
    assert await LLMCall.objects.acount() == 0
