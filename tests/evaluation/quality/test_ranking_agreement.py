"""The output ranking against the deterministic one (Kendall tau-b, score (tau + 1) / 2)."""

import copy

import pytest

from energy.pipeline.facts import compute_facts
from evaluation.benchmarks.quality import ranking_agreement
from tests.energy.pipeline.conftest import make_inputs
from tests.evaluation.quality.conftest import answer


def rank_plans(data, *plan_ids):
    by_id = {rec["plan_id"]: rec for rec in data["recommendations"]}
    data["recommendations"] = [by_id.get(plan_id, {**data["recommendations"][0], "plan_id": plan_id}) for plan_id in plan_ids]


def test_it_scores_the_reference_ranking_one(facts, good):
    check = ranking_agreement(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_scores_the_reversed_ranking_zero(facts, data):
    rank_plans(data, 36, 3, 14)
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == 0.0
    assert "tau -1.000" in check.detail


def test_it_scores_one_swapped_pair(facts, data):
    rank_plans(data, 3, 14, 36)  # tau = (2 - 1) / 3
    check = ranking_agreement(facts, data)
    assert check.passed
    assert check.score == pytest.approx(2 / 3)


def test_it_penalizes_a_plan_from_outside_the_reference_top_n(facts, data):
    # Plan 21 (reference #4) instead of 36 (#3): over 14, 3, 21, 36 one pair of six is discordant.
    rank_plans(data, 14, 3, 21)
    check = ranking_agreement(facts, data)
    assert check.passed
    assert check.score == pytest.approx((1 + 4 / 6) / 2)


def test_it_scores_a_single_plan_by_whether_it_is_the_reference_first():
    inputs = make_inputs(top_n=1)
    facts, data = compute_facts(inputs), copy.deepcopy(answer(inputs).data)
    assert ranking_agreement(facts, data).score == 1.0
    data["recommendations"][0]["plan_id"] = 3
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == 0.0
