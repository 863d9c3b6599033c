"""Each recommendation has a "why" that states only its plan's facts."""

import pytest

from evaluation.benchmarks.quality import why_grounded


def test_it_passes_the_rules_engines_answer(facts, good):
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


def test_it_fails_a_why_stating_an_invented_number(facts, data):
    data["recommendations"][0]["why"] = "At $1,250.00 a year it is the best plan."
    check = why_grounded(facts, data)
    assert check.score == pytest.approx(2 / 3)
    assert "states [1250.0]" in check.detail


def test_it_fails_a_why_contradicting_its_plan(facts, data):
    data["recommendations"][1]["why"] = "It is 100% renewable."  # plan 3 is 0 % renewable
    check = why_grounded(facts, data)
    assert not check.passed
    assert "says 100% but the plan is 0% renewable" in check.detail
