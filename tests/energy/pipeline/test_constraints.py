"""The hard constraints and the candidates a model is shown: eligibility, the fallback when nothing
qualifies, and the cap on candidates."""

import dataclasses
from decimal import Decimal

from energy.pipeline.facts import MAX_CANDIDATES, compute_facts
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary


# The hard constraints: every monthly bill within the budget, a minimum renewable share, a maximum contract length.
def violations(inputs) -> dict[int, tuple[str, ...]]:
    return {plan.plan.id: plan.violations for plan in compute_facts(inputs).plans}


def test_it_allows_a_budget_equal_to_the_highest_monthly_bill(inputs_for, offers):
    # Cheap 12's highest bill is $243.94 (July).
    cheap = offers["cheap"].id
    assert violations(inputs_for(max_monthly_budget=Decimal("243.94")))[cheap] == ()
    assert violations(inputs_for(max_monthly_budget=Decimal("243.93")))[cheap] == ("budget",)


def test_it_judges_the_budget_by_every_month_not_the_average(inputs_for, offers):
    # Cheap 12 averages $166.89 a month but July is $243.94.
    facts = compute_facts(inputs_for(max_monthly_budget=Decimal("200")))
    cheap = facts.by_id[offers["cheap"].id]
    assert cheap.average_monthly_cost < 200
    assert cheap.violations == ("budget",)


def test_it_requires_the_minimum_renewable_share(inputs_for, offers):
    found = violations(inputs_for(min_renewable_pct=50))
    assert found[offers["credit"].id] == ()  # exactly 50 %
    assert found[offers["green"].id] == ()
    assert found[offers["tiered"].id] == ("renewable",)
    assert found[offers["cheap"].id] == ("renewable",)


def test_it_limits_the_contract_length(inputs_for, offers):
    found = violations(inputs_for(max_contract_months=12))
    assert found[offers["long"].id] == ("contract",)
    assert found[offers["cheap"].id] == ()  # exactly 12 months
    assert found[offers["green"].id] == ()  # no contract


def test_it_lists_every_constraint_a_plan_breaks(inputs_for, offers):
    found = violations(inputs_for(max_monthly_budget=Decimal(200), min_renewable_pct=50, max_contract_months=12))
    assert found[offers["long"].id] == ("budget", "renewable", "contract")


def test_it_offers_only_eligible_plans_as_candidates(inputs_for, offers):
    facts = compute_facts(inputs_for(min_renewable_pct=50))
    assert facts.constraints_satisfiable
    assert {p.plan.id for p in facts.candidates} == {offers["credit"].id, offers["green"].id}
    # The ineligible plans still have facts, listed after the eligible ones.
    assert [p.eligible for p in facts.plans] == [True, True, False, False, False]


# When no plan meets every hard constraint the candidates fall back to all plans and the response says so.
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


# A model is shown at most eight candidates (a short prompt), or top_n when that is more.
def many_plans(offers, count):
    cheap = offers["cheap"]
    return tuple(dataclasses.replace(cheap, id=100 + n, name=f"Cheap {n}") for n in range(count))


def test_it_shows_at_most_eight(inputs_for, offers):
    facts = compute_facts(inputs_for(plans=many_plans(offers, 12)))
    assert len(facts.candidates) == MAX_CANDIDATES == 8


def test_it_shows_top_n_when_more_are_asked_for(inputs_for, offers):
    facts = compute_facts(inputs_for(plans=many_plans(offers, 12), top_n=10))
    assert len(facts.candidates) == 10
    assert len(facts.reference_ranking) == 10
