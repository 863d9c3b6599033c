"""Every recommended plan id is a plan in the facts."""

import pytest

from evaluation.benchmarks.quality import plan_ids_exist


def test_it_passes_the_rules_engines_answer(facts, good):
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
    data["recommendations"][0]["plan_id"] = "14"
    assert plan_ids_exist(facts, data).score == pytest.approx(2 / 3)
