"""Every number the output quotes, structured or in a text, matches the facts within 0.5 %."""

import pytest

from evaluation.benchmarks.quality import numbers_match_facts


def test_it_passes_the_rules_engines_answer(facts, good):
    check = numbers_match_facts(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_a_projected_cost_off_by_one_percent(facts, data):
    first = data["recommendations"][0]
    first["projected_annual_cost"] = round(first["projected_annual_cost"] * 1.01, 2)
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert 0.9 < check.score < 1.0
    assert "plan 14 projected_annual_cost is 2077.85, the facts say 2057.28" in check.detail


def test_it_tolerates_less_than_half_a_percent(facts, data):
    first = data["recommendations"][0]
    first["projected_annual_cost"] = round(first["projected_annual_cost"] * 1.004, 2)
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


def test_it_fails_a_why_stating_an_invented_number(facts, data):
    data["recommendations"][0]["why"] += " It saves $250.00 a year."
    check = numbers_match_facts(facts, data)
    assert not check.passed
    assert "plan 14 why states 250.0, not a fact" in check.detail


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
