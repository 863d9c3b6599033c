"""The hard constraints: every monthly bill within the budget, a minimum renewable share,
a maximum contract length."""

from decimal import Decimal

from energy.pipeline.facts import compute_facts


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
