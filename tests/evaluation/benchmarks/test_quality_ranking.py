"""Ranking agreement: the output ranking against the deterministic one (Kendall tau-b, score
(tau + 1) / 2, passed only for the reference order itself); kendall_tau is tau-b between two
rankings of the same items."""

import copy
import math

import pytest

from energy.pipeline.facts import compute_facts
from evaluation.benchmarks.quality import kendall_tau, ranking_agreement
from tests.energy.pipeline.conftest import make_inputs
from tests.evaluation.benchmarks.quality_outputs import answer


def test_it_counts_one_discordant_pair_of_six():
    assert kendall_tau([1, 2, 3, 4], [2, 1, 3, 4]) == pytest.approx(4 / 6)


def test_it_is_one_for_identical_rankings():
    assert kendall_tau([1, 2, 3], [10, 20, 30]) == 1.0


def test_it_is_minus_one_for_reversed_rankings():
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0


def test_it_corrects_for_ties():
    # Pairs: (0,1) tied in a; (0,2) and (1,2) concordant. (2 - 0) / sqrt(2 untied in a · 3 in b)
    assert kendall_tau([1, 1, 2], [1, 2, 3]) == pytest.approx(2 / math.sqrt(6))


def test_it_is_undefined_without_two_ordered_items():
    assert math.isnan(kendall_tau([1], [1]))
    assert math.isnan(kendall_tau([], []))
    assert math.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))


def test_it_refuses_rankings_of_different_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        kendall_tau([1, 2], [1, 2, 3])


def rank_plans(data, *plan_ids):
    by_id = {rec["plan_id"]: rec for rec in data["recommendations"]}
    data["recommendations"] = [by_id.get(plan_id, {**data["recommendations"][0], "plan_id": plan_id}) for plan_id in plan_ids]


def test_it_scores_the_reference_ranking_one(facts, good):
    check = ranking_agreement(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_scores_the_reversed_ranking_zero(facts, data):
    rank_plans(data, 14, 3, 36)
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == 0.0
    assert "tau -1.000" in check.detail


def test_it_fails_one_swapped_pair_with_partial_credit(facts, data):
    rank_plans(data, 3, 36, 14)  # tau = (2 - 1) / 3
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == pytest.approx(2 / 3)


def test_it_fails_a_plan_from_outside_the_reference_top_n_with_partial_credit(facts, data):
    # Plan 8 (reference #4) instead of 14 (#3): over 36, 3, 8, 14 one pair of six is discordant.
    rank_plans(data, 36, 3, 8)
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == pytest.approx((1 + 4 / 6) / 2)


def test_it_scores_a_single_plan_by_whether_it_is_the_reference_first():
    inputs = make_inputs(top_n=1)
    facts, data = compute_facts(inputs), copy.deepcopy(answer(inputs).data)
    assert ranking_agreement(facts, data).score == 1.0
    data["recommendations"][0]["plan_id"] = 14
    check = ranking_agreement(facts, data)
    assert not check.passed
    assert check.score == 0.0
