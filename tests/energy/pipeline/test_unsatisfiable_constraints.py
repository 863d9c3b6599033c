"""When no plan meets every hard constraint the candidates fall back to all plans and the
response says so."""

from decimal import Decimal

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary


def test_it_falls_back_to_every_plan(inputs_for, offers):
    facts = compute_facts(inputs_for(max_monthly_budget=Decimal(100)))
    assert not facts.constraints_satisfiable
    assert all(plan.violations == ("budget",) for plan in facts.plans)
    assert {p.plan.id for p in facts.candidates} == {offer.id for offer in offers.values()}
    assert len(facts.reference_ranking) == 3


async def test_it_tells_the_customer(inputs_for, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs_for(max_monthly_budget=Decimal(100)), route=route_of(rules_ref), caller=fake_model)
    assert "No plan meets every hard constraint" in result.data["notice"]
    assert [rec["constraints_met"] for rec in result.data["recommendations"]] == [False, False, False]


async def test_it_says_nothing_when_a_plan_qualifies(inputs, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs, route=route_of(rules_ref), caller=fake_model)
    assert "notice" not in result.data
    assert all(rec["constraints_met"] for rec in result.data["recommendations"])


async def test_it_lets_a_model_rank_any_plan_then(inputs_for, fake_model, route_of, chat_model, offers):
    # Scoring may name a plan that breaks the budget, because every plan does.
    inputs = inputs_for(max_monthly_budget=Decimal(100))
    facts = compute_facts(inputs)
    ranking = (offers["green"].id, offers["tiered"].id, offers["long"].id)
    fake_model.queue(chat_model.key, chat_summary(facts), stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts, ranking), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts, ranking), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    assert [rec["plan_id"] for rec in result.data["recommendations"]] == list(ranking)
