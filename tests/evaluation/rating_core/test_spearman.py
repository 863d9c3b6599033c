import pytest

from evaluation.ratings.agreement import ranks, spearman


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
