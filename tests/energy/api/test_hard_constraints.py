from decimal import Decimal

import pytest

from tests.energy.api.payloads import post_recommendation, recommendation_body

# With the test usage (peak 1,900 kWh in August) the highest monthly bills are: Cheap 12
# $271.54, Secure 36 $254.44, Coastal Credit 6 $286.74, Two-Step 12 $331.09, Wind 100 Flex $365.39.
CASES = [
    ({"max_monthly_budget": "260"}, {"long"}),
    ({"min_renewable_pct": 50}, {"green", "credit"}),
    ({"max_contract_months": 6}, {"green", "credit"}),
    ({"max_monthly_budget": "300", "min_renewable_pct": 50, "max_contract_months": 12}, {"credit"}),
]


@pytest.mark.parametrize(("preferences", "compliant"), CASES)
@pytest.mark.django_db(transaction=True)
async def test_it_recommends_only_plans_within_every_hard_constraint(async_client, auth_headers, plans,
                                                                    rules_only_catalog, preferences, compliant):
    response = await post_recommendation(async_client, auth_headers,
                                         recommendation_body(preferences=preferences, top_n=5))

    assert response.status_code == 200
    data = response.json()["data"]
    assert "notice" not in data
    recommendations = data["recommendations"]
    assert {r["plan_id"] for r in recommendations} == {plans[name].pk for name in compliant}
    for recommendation in recommendations:
        assert recommendation["constraints_met"] is True
        if "max_monthly_budget" in preferences:
            assert max(map(Decimal, map(str, recommendation["projected_monthly_costs"]))) <= Decimal(
                preferences["max_monthly_budget"])
        assert recommendation["renewable_pct"] >= preferences.get("min_renewable_pct", 0)
        assert recommendation["contract_months"] <= preferences.get("max_contract_months", 120)
