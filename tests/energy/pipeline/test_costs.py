"""The money in the facts and in every recommendation is the exact bill arithmetic of energy.tariffs."""

from decimal import Decimal

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from energy.tariffs import CENT, PlanTerms, annual_cost, monthly_bills
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary
from tests.energy.pipeline.conftest import USAGE


# Each plan's costs in the facts are the exact bill arithmetic of energy.tariffs.
def test_it_prices_every_plan_with_the_tariff_arithmetic(facts, offers):
    for offer in offers.values():
        plan = facts.by_id[offer.id]
        assert plan.annual_cost == annual_cost(offer.terms, USAGE)
        assert plan.monthly_costs == tuple(monthly_bills(offer.terms, USAGE))
        assert plan.highest_monthly_cost == max(plan.monthly_costs)
        assert plan.average_monthly_cost == (plan.annual_cost / 12).quantize(CENT)


def test_it_knows_the_worked_example(facts, offers):
    # July, 1,700 kWh on Cheap 12: 4.95 + 4.39 + 1700 × 9.0 ¢ + 1700 × 4.8 ¢ = 9.34 + 153.00 + 81.60
    assert facts.by_id[offers["cheap"].id].monthly_costs[6] == Decimal("243.94")


def test_it_applies_the_bill_credit_only_inside_its_window(facts, offers):
    costs = facts.by_id[offers["credit"].id].monthly_costs
    # November, 800 kWh: below the 1,000 kWh window, no credit: 9.95 + 4.39 + 800 × 19.6 ¢
    assert costs[10] == Decimal("171.14")
    # January, 1,200 kWh: inside the window, so the $100 credit applies
    assert costs[0] == Decimal("9.95") + Decimal("4.39") + Decimal("235.20") - 100


def test_it_computes_savings_against_the_current_plan(inputs_for, offers):
    current = PlanTerms(energy_rate_cents=Decimal("16.0"), base_fee=Decimal("9.95"))
    facts = compute_facts(inputs_for(current_terms=current))
    assert facts.current_annual_cost == annual_cost(current, USAGE)
    for offer in offers.values():
        plan = facts.by_id[offer.id]
        assert plan.annual_savings == facts.current_annual_cost - plan.annual_cost


def test_it_has_no_savings_without_a_current_plan(facts):
    assert facts.current_annual_cost is None
    assert all(plan.annual_savings is None for plan in facts.plans)


# Every recommendation's money is the exact bill arithmetic, whichever model ranked it.
CURRENT = PlanTerms(energy_rate_cents=Decimal("16.0"), base_fee=Decimal("9.95"))


def exact(value: float) -> Decimal:
    return Decimal(str(value))


def assert_exact(recommendations, offers):
    by_id = {offer.id: offer for offer in offers.values()}
    for rec in recommendations:
        terms = by_id[rec["plan_id"]].terms
        assert exact(rec["projected_annual_cost"]) == annual_cost(terms, USAGE)
        assert [exact(c) for c in rec["projected_monthly_costs"]] == monthly_bills(terms, USAGE)
        assert exact(rec["annual_savings"]) == annual_cost(CURRENT, USAGE) - annual_cost(terms, USAGE)
        assert rec["renewable_pct"] == by_id[rec["plan_id"]].renewable_pct


async def test_it_reports_exact_costs_from_the_rules_engine(inputs_for, offers, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs_for(current_terms=CURRENT), route=route_of(rules_ref), caller=fake_model)
    assert_exact(result.data["recommendations"], offers)


async def test_it_reports_exact_costs_for_a_models_ranking(inputs_for, offers, fake_model, route_of, chat_model):
    inputs = inputs_for(current_terms=CURRENT, top_n=5)
    facts = compute_facts(inputs)
    ranking = (21, 8, 14, 3, 36)
    fake_model.queue(chat_model.key, chat_summary(facts), stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts, ranking), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts, ranking), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    assert [r["plan_id"] for r in result.data["recommendations"]] == list(ranking)
    assert_exact(result.data["recommendations"], offers)
