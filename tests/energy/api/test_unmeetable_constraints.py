import pytest

from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_says_so_when_no_plan_meets_every_constraint(async_client, auth_headers, plans, rules_only_catalog):
    # Only Wind 100 Flex is 100 % renewable, and its August bill is far above $200.
    preferences = {"min_renewable_pct": 100, "max_monthly_budget": "200"}

    response = await post_recommendation(async_client, auth_headers, recommendation_body(preferences=preferences))

    assert response.status_code == 200
    data = response.json()["data"]
    assert "No plan meets every hard constraint" in data["notice"]
    assert len(data["recommendations"]) == 3
    assert all(r["constraints_met"] is False for r in data["recommendations"])
