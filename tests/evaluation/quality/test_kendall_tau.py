"""kendall_tau: tau-b between two rankings of the same items."""

import math

import pytest

from evaluation.benchmarks.quality import kendall_tau


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
