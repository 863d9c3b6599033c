import pytest

from evaluation.ratings.agreement import krippendorff_alpha_interval


def test_it_is_one_for_perfect_agreement():
    assert krippendorff_alpha_interval({1: [3, 3], 2: [5, 5, 5], 3: [1, 1]}) == 1.0


def test_it_is_minus_a_half_for_two_raters_who_swap_the_extremes():
    assert krippendorff_alpha_interval({1: [1, 5], 2: [5, 1]}) == pytest.approx(-0.5)


def test_it_matches_a_small_example_worked_by_hand():
    # Three items, two raters: {a: [1, 2], b: [3, 3], c: [4, 5]}; n = 6 pairable values.
    # Observed: each unit sums its ordered pairs' squared differences over (m_u - 1) = 1:
    #   a: (1-2)² + (2-1)² = 2, b: 0, c: 2  →  D_o = (2 + 0 + 2) / n = 4/6.
    # Expected: all ordered pairs of the six values, Σ (x_i - x_j)² = 2 (n Σx² - (Σx)²)
    #   = 2 (6·64 - 18²) = 120  →  D_e = 120 / (n (n - 1)) = 120 / 30 = 4.
    # alpha = 1 - D_o / D_e = 1 - (4/6) / 4 = 5/6.
    assert krippendorff_alpha_interval({"a": [1, 2], "b": [3, 3], "c": [4, 5]}) == pytest.approx(5 / 6)


def test_it_matches_krippendorffs_published_example_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers, twelve
    # units, missing values left out; alpha (interval) = 0.849.
    units = {1: [1, 1, 1], 2: [2, 2, 3, 2], 3: [3, 3, 3, 3], 4: [3, 3, 3, 3], 5: [2, 2, 2, 2], 6: [1, 2, 3, 4],
             7: [4, 4, 4, 4], 8: [1, 1, 2, 1], 9: [2, 2, 2, 2], 10: [5, 5, 5], 11: [1, 1], 12: [3]}

    assert krippendorff_alpha_interval(units) == pytest.approx(0.849, abs=5e-4)


def test_it_skips_single_ratings_and_has_no_answer_without_variation():
    assert krippendorff_alpha_interval({1: [4], 2: [2]}) is None
    assert krippendorff_alpha_interval({1: [4, 4], 2: [4, 4]}) is None
    assert krippendorff_alpha_interval({1: [1, 5], 2: [5, 1], 3: [3]}) == pytest.approx(-0.5)
