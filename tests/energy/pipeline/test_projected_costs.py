"""Every recommendation's money is the exact bill arithmetic, whichever model ranked it."""

from decimal import Decimal

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from energy.tariffs import PlanTerms, annual_cost, monthly_bills
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary
from tests.energy.pipeline.conftest import USAGE

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
