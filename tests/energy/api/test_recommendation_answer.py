"""The answer to POST /recommendations: its documented shape, the exact costs and savings, the hard
constraints, and the record kept of it."""

from decimal import Decimal

import pytest

from energy.models import Plan, Recommendation
from energy.tariffs import PlanTerms, annual_cost, monthly_bills
from tests.energy.api.payloads import STAGES, USAGE, assert_recommendation_shape, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_in_the_documented_shape_with_the_rules_engine_on_every_stage(
    async_client, auth_headers, plans, rules_only_catalog,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=3))

    assert response.status_code == 200
    answer = response.json()
    assert_recommendation_shape(answer)
    assert len(answer["data"]["recommendations"]) == 3
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, "builtin/rules")
    assert answer["metadata"]["fallbacks"] == []
    assert answer["metadata"]["errors"] == []
    assert answer["metadata"]["narrative_sources"] == [
        {"plan_id": r["plan_id"], "source": "builtin/rules", "reason": None} for r in answer["data"]["recommendations"]
    ]
    assert answer["data"]["usage_summary"]["peak_month"] == "August"


@pytest.mark.django_db(transaction=True)
async def test_it_records_the_answer_it_gave(async_client, api_key, auth_headers, plans, rules_only_catalog):
    key, _ = api_key
    headers = {**auth_headers, "X-Request-ID": "client-req-42"}

    response = await post_recommendation(async_client, headers, recommendation_body(mode="fast"))

    answer = response.json()
    assert answer["metadata"]["request_id"] == "client-req-42"
    recommendation = await Recommendation.objects.aget(pk=answer["id"])
    assert recommendation.status == Recommendation.Status.SUCCEEDED
    assert recommendation.output == answer
    assert recommendation.models_used == dict.fromkeys(STAGES, "builtin/rules")
    assert recommendation.execution_ms == answer["metadata"]["execution_ms"]
    assert recommendation.execution_ms > 0
    assert recommendation.api_key_id == key.pk
    assert recommendation.request_id == "client-req-42"
    assert recommendation.inputs["monthly_usage_kwh"] == recommendation_body()["monthly_usage_kwh"]
    assert recommendation.finished_at >= recommendation.started_at


@pytest.mark.django_db(transaction=True)
async def test_it_projects_every_bill_to_the_cent(async_client, auth_headers, plans, rules_only_catalog):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=len(plans)))

    recommendations = response.json()["data"]["recommendations"]
    assert {r["plan_id"] for r in recommendations} == {p.pk for p in plans.values()}
    for recommendation in recommendations:
        terms = (await Plan.objects.aget(pk=recommendation["plan_id"])).terms()
        assert Decimal(str(recommendation["projected_annual_cost"])) == annual_cost(terms, USAGE)
        assert [Decimal(str(c)) for c in recommendation["projected_monthly_costs"]] == monthly_bills(terms, USAGE)


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
