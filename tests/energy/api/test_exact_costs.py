from decimal import Decimal

import pytest

from energy.models import Plan
from energy.tariffs import annual_cost, monthly_bills
from tests.energy.api.payloads import USAGE, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_projects_every_bill_to_the_cent(async_client, auth_headers, plans, rules_only_catalog):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=len(plans)))

    recommendations = response.json()["data"]["recommendations"]
    assert {r["plan_id"] for r in recommendations} == {p.pk for p in plans.values()}
    for recommendation in recommendations:
        terms = (await Plan.objects.aget(pk=recommendation["plan_id"])).terms()
        assert Decimal(str(recommendation["projected_annual_cost"])) == annual_cost(terms, USAGE)
        assert [Decimal(str(c)) for c in recommendation["projected_monthly_costs"]] == monthly_bills(terms, USAGE)
