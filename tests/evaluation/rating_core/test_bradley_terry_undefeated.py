import math

from evaluation.ratings.bradley_terry import rank


def test_it_keeps_an_undefeated_models_strength_finite():
    champion, challenger, underdog = rank([("a", "b", 1.0)] * 10 + [("b", "c", 1.0)] * 10)

    assert [r.model for r in (champion, challenger, underdog)] == ["a", "b", "c"]
    for r in (champion, challenger, underdog):
        assert math.isfinite(r.strength)
        assert 0 < r.strength < 1
        assert math.isfinite(r.ci_low)
        assert math.isfinite(r.ci_high)


def test_it_ranks_nothing_without_comparisons():
    assert rank([]) == []
