"""The quality checks of an output against the facts: every recommended plan id is a plan in the
facts; hard constraints (while a plan meets them all, every recommended plan does; when none does,
the response says so); every number the output quotes matches the facts, a structured one exactly
and one in a text within 0.5 %; each recommendation has a "why" that states only its plan's facts."""

import copy
from decimal import Decimal

import pytest

from energy.pipeline.facts import compute_facts
from energy.tariffs import PlanTerms
from evaluation.benchmarks.quality import constraints_respected, numbers_match_facts, plan_ids_exist, why_grounded
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.evaluation.benchmarks.quality_outputs import answer


def test_it_passes_the_rules_engines_answer_on_plan_ids(facts, good):
    check = plan_ids_exist(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_an_unknown_plan(facts, data):
    data["recommendations"][1]["plan_id"] = 999
    check = plan_ids_exist(facts, data)
    assert not check.passed
    assert check.score == pytest.approx(2 / 3)
    assert "plan 999 does not exist" in check.detail


def test_it_fails_a_plan_id_that_is_not_an_integer(facts, data):
    data["recommendations"][0]["plan_id"] = "36"
    assert plan_ids_exist(facts, data).score == pytest.approx(2 / 3)


def test_it_passes_the_rules_engines_answer_on_constraints(facts, good):
    check = constraints_respected(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_an_ineligible_plan_while_an_eligible_one_exists():
    inputs = make_inputs(max_contract_months=12)
    facts = compute_facts(inputs)
    data = copy.deepcopy(answer(inputs).data)
    data["recommendations"][2]["plan_id"] = OFFERS["long"].id  # a 36-month contract
    check = constraints_respected(facts, data)
    assert not check.passed
    assert check.score == pytest.approx(2 / 3)
    assert "plan 36 breaks the contract constraint" in check.detail


def test_it_passes_an_unsatisfiable_case_with_a_notice():
    inputs = make_inputs(max_monthly_budget=Decimal(100))
    check = constraints_respected(compute_facts(inputs), answer(inputs).data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_an_unsatisfiable_case_without_a_notice():
    inputs = make_inputs(max_monthly_budget=Decimal(100))
    data = copy.deepcopy(answer(inputs).data)
    del data["notice"]
    check = constraints_respected(compute_facts(inputs), data)
    assert not check.passed
    assert check.score == 0.0


def test_it_passes_the_rules_engines_answer_on_numbers(facts, good):
    check = numbers_match_facts(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_a_projected_cost_off_by_one_percent(facts, data):
    first = data["recommendations"][0]
    first["projected_annual_cost"] = round(first["projected_annual_cost"] * 1.01, 2)
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert 0.9 < check.score < 1.0
    assert "plan 36 projected_annual_cost is 1898.17, the facts say 1879.38" in check.detail


@pytest.mark.parametrize(("field", "off_by"), [
    ("projected_annual_cost", 0.01), ("projected_annual_cost", -1.0), ("projected_annual_cost", 4.0),
    ("annual_savings", 0.01), ("renewable_pct", 1), ("contract_months", -1),
])
def test_it_holds_the_structured_money_and_plan_fields_exact_to_the_cent(field, off_by):
    inputs = make_inputs(current_terms=PlanTerms(energy_rate_cents=Decimal("16.0"), base_fee=Decimal("9.95")))
    data = copy.deepcopy(answer(inputs).data)
    first = data["recommendations"][0]
    first[field] = round(first[field] + off_by, 2)
    check = numbers_match_facts(compute_facts(inputs), data)
    assert not check.passed
    assert f"{field} is {first[field]!r}" in check.detail


def test_it_fails_one_month_off_by_a_cent(facts, data):
    monthly = data["recommendations"][0]["projected_monthly_costs"]
    monthly[3] = round(monthly[3] + 0.01, 2)
    assert not numbers_match_facts(facts, data).passed


def test_it_tolerates_a_rounded_amount_in_a_text(facts, data):
    # "about $1,880 a year" for $1,879.38: within 0.5 %, a rounding a person accepts.
    first = data["recommendations"][0]
    first["why"] = f"About ${round(first['projected_annual_cost']):,} a year."
    assert numbers_match_facts(facts, data).passed


def test_it_fails_a_wrong_monthly_cost(facts, data):
    data["recommendations"][2]["projected_monthly_costs"][6] += 20
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert "projected_monthly_costs[6]" in check.detail


def test_it_fails_a_renewable_share_that_is_not_the_plans(facts, data):
    data["recommendations"][1]["renewable_pct"] = 100  # plan 3 is 0 % renewable: no tolerance around zero
    assert not numbers_match_facts(facts, data).passed


def test_it_fails_savings_when_there_is_no_current_plan(facts, data):
    data["recommendations"][0]["annual_savings"] = 120.0
    assert not numbers_match_facts(facts, data).passed


def test_it_fails_numbers_when_a_why_states_an_invented_number(facts, data):
    data["recommendations"][0]["why"] += " It saves $250.00 a year."
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert "plan 36 why states 250.0, not a fact" in check.detail


def test_it_fails_a_summary_stating_an_invented_number(facts, data):
    data["usage_summary"]["summary"] = "Usage averages 1,250 kWh a month."
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert "summary states 1250.0" in check.detail


def test_it_counts_every_number_of_an_unknown_plan_as_unmatched(facts, data):
    data["recommendations"] = [{**data["recommendations"][0], "plan_id": 999}]
    check = numbers_match_facts(facts, data)
    # Left: the usage statistics and the summary's two numbers.
    assert check.score == pytest.approx(6 / (6 + 15 + 5))


def test_it_passes_the_rules_engines_answer_on_whys(facts, good):
    check = why_grounded(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_a_missing_why(facts, data):
    data["recommendations"][1]["why"] = "  "
    del data["recommendations"][2]["why"]
    check = why_grounded(facts, data)
    assert not check.passed
    assert check.score == pytest.approx(1 / 3)
    assert "no explanation for plan 3" in check.detail


def test_it_fails_grounding_when_a_why_states_an_invented_number(facts, data):
    data["recommendations"][0]["why"] = "At $1,250.00 a year it is the best plan."
    check = why_grounded(facts, data)
    assert check.score == pytest.approx(2 / 3)
    assert "states [1250.0]" in check.detail


def test_it_fails_a_why_contradicting_its_plan(facts, data):
    data["recommendations"][1]["why"] = "It is 100% renewable."  # plan 3 is 0 % renewable
    check = why_grounded(facts, data)
    assert not check.passed
    assert "says 100% but the plan is 0% renewable" in check.detail
