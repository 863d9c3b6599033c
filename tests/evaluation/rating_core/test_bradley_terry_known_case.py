from evaluation.ratings.bradley_terry import rank


def games(a: str, b: str, a_wins: int, b_wins: int) -> list[tuple[str, str, float]]:
    return [(a, b, 1.0)] * a_wins + [(a, b, 0.0)] * b_wins


def test_it_ranks_a_over_b_over_c_with_intervals_around_the_estimates():
    ranking = rank(games("a", "b", 8, 2) + games("b", "c", 7, 3) + games("a", "c", 9, 1))

    assert [r.model for r in ranking] == ["a", "b", "c"]
    assert [r.strength for r in ranking] == sorted((r.strength for r in ranking), reverse=True)
    assert abs(sum(r.strength for r in ranking) - 1) < 1e-3
    for r in ranking:
        assert r.ci_low <= r.strength <= r.ci_high
    assert [(r.wins, r.comparisons) for r in ranking] == [(17.0, 20), (9.0, 20), (4.0, 20)]


def test_it_matches_the_closed_form_for_two_models():
    # Two models: s_a / s_b = wins_a / wins_b. With the prior's half a tie (a quarter of a win each
    # side): (8 + 0.25) / (2 + 0.25), so s_a = 8.25 / 10.5 = 0.7857 once the strengths sum to 1.
    a, b = rank(games("a", "b", 8, 2))

    assert (a.model, a.strength, b.strength) == ("a", 0.7857, 0.2143)


def test_it_gives_the_same_numbers_for_the_same_comparisons():
    comparisons = games("a", "b", 6, 4) + games("b", "c", 5, 5)

    assert rank(comparisons) == rank(comparisons)
