from decimal import Decimal

import pytest

from energy.models import Plan
from energy.tariffs import PlanTerms, annual_cost
from tests.energy.api.payloads import USAGE, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_counts_savings_against_an_all_in_current_rate(async_client, auth_headers, plans, rules_only_catalog):
    current = {"rate_cents": "16.5", "base_fee": "9.95"}
    current_cost = annual_cost(PlanTerms(energy_rate_cents=Decimal("16.5"), base_fee=Decimal("9.95")), USAGE)

    response = await post_recommendation(async_client, auth_headers, recommendation_body(current_plan=current))

    for recommendation in response.json()["data"]["recommendations"]:
        expected = current_cost - Decimal(str(recommendation["projected_annual_cost"]))
        assert Decimal(str(recommendation["annual_savings"])) == expected


@pytest.mark.django_db(transaction=True)
async def test_it_counts_savings_against_a_catalog_plan(async_client, auth_headers, plans, rules_only_catalog):
    current = plans["green"]
    current_cost = annual_cost(current.terms(), USAGE)

    response = await post_recommendation(async_client, auth_headers,
                                         recommendation_body(current_plan={"plan_id": current.pk}))

    assert response.status_code == 200
    for recommendation in response.json()["data"]["recommendations"]:
        terms = (await Plan.objects.aget(pk=recommendation["plan_id"])).terms()
        assert Decimal(str(recommendation["annual_savings"])) == current_cost - annual_cost(terms, USAGE)
