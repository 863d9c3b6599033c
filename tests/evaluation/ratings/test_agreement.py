"""How far ratings agree: Krippendorff's alpha (interval) and Spearman's rank correlation on
worked examples, then the agreement between raters on the items two or more of them rated, and
between each item's automatic quality and its mean human rating."""

import pytest

from evaluation.ratings.agreement import krippendorff_alpha_interval, ranks, spearman
from evaluation.ratings.model_quality import automatic_vs_human, inter_rater_alpha
from tests.evaluation.ratings.items import make_item, rate

# Krippendorff's alpha, interval metric.


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


# Spearman's rank correlation.


def test_it_is_one_for_the_same_order_and_minus_one_for_the_reverse():
    assert spearman([1, 2, 3, 4], [10, 20, 35, 90]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [90, 35, 20, 10]) == pytest.approx(-1.0)


def test_it_gives_ties_their_average_rank():
    assert ranks([10, 20, 20, 30]).tolist() == [1.0, 2.5, 2.5, 4.0]
    # ranks x = [1, 2.5, 2.5, 4], y = [1, 2, 3, 4]; deviations from 2.5: (-1.5, 0, 0, 1.5) and
    # (-1.5, -0.5, 0.5, 1.5); r = 4.5 / sqrt(4.5 · 5) = sqrt(0.9).
    assert spearman([10, 20, 20, 30], [1, 2, 3, 4]) == pytest.approx(0.9 ** 0.5)


def test_it_has_no_answer_for_too_few_pairs_or_a_constant_side():
    assert spearman([1, 2], [2, 1]) is None
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    with pytest.raises(ValueError, match="same length"):
        spearman([1, 2, 3], [1, 2])


# On the stored ratings.


@pytest.mark.django_db
def test_it_measures_agreement_over_the_items_that_two_or_more_raters_rated(rita, raj, olivia):
    swapped_low, swapped_high, alone = make_item("test/a"), make_item("test/b"), make_item("test/c")
    rate(swapped_low, rita, 1, why_sensible=3)
    rate(swapped_low, raj, 5, why_sensible=3)
    rate(swapped_high, rita, 5, why_sensible=4)
    rate(swapped_high, raj, 1, why_sensible=4)
    rate(alone, olivia, 3)

    assert inter_rater_alpha() == (pytest.approx(-0.5), 2)
    assert inter_rater_alpha("why_sensible") == (1.0, 2)


@pytest.mark.django_db
def test_it_correlates_each_items_automatic_quality_with_its_mean_human_rating(rita, raj):
    for automatic, overall in ((0.2, 1), (0.5, 3), (0.5, 3), (0.9, 5)):
        item = make_item("test/model", automatic_quality=automatic)
        rate(item, rita, overall)
        rate(item, raj, overall)
    make_item("test/model", automatic_quality=0.7)  # not rated: left out
    rate(make_item("test/live"), rita, 2)  # no automatic figure: left out

    rho, n = automatic_vs_human()

    assert n == 4  # the two items with the same figures are two items
    assert rho == pytest.approx(1.0)
