import pytest

from evaluation.ratings.bradley_terry import rank


def test_it_gives_equal_strengths_to_a_split_record():
    a, b = rank([("a", "b", 1.0)] * 5 + [("a", "b", 0.0)] * 5)

    assert a.strength == b.strength == 0.5


def test_it_gives_equal_strengths_to_a_rock_paper_scissors_cycle():
    cycle = [("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0)] * 3

    strengths = {r.model: r.strength for r in rank(cycle)}

    assert strengths == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, abs=1e-4)


def test_it_counts_a_tie_as_half_a_win_each():
    a, b = rank([("a", "b", 0.5)] * 4)

    assert (a.strength, b.strength, a.wins, b.wins) == (0.5, 0.5, 2.0, 2.0)
