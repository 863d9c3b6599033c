"""The leaderboard: the Bradley–Terry fit on known cases (the closed form for two models, split
records, cycles, ties, an undefeated model, no comparisons), the ranking of the models behind the
compared outputs, the fit cached until a comparison is added or changed, and the rendered page
with the ranking, the quality figures and the agreement figures."""

import math

import pytest
from django.core.cache import cache

from evaluation.models import RatingItem
from evaluation.ratings import leaderboard
from evaluation.ratings.bradley_terry import rank
from tests.evaluation.ratings.items import BULK_MODELS, LEADERBOARD_URL, bulk_items, client_for, make_item, rate, vote


def games(a: str, b: str, a_wins: int, b_wins: int) -> list[tuple[str, str, float]]:
    return [(a, b, 1.0)] * a_wins + [(a, b, 0.0)] * b_wins


# Bradley–Terry on known cases, no database.


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


# The leaderboard from the stored comparisons.


@pytest.mark.django_db
def test_it_ranks_the_models_behind_the_compared_outputs_whichever_side_they_were_shown(rita):
    for n in range(3):
        x = make_item("test/x", scenario_key=f"scenario:{n}")
        y = make_item("test/y", scenario_key=f"scenario:{n}")
        left, right, choice = (x, y, "a") if n % 2 else (y, x, "b")
        vote(left, right, rita, choice)
    z = make_item("test/z", scenario_key="scenario:0")
    vote(z, x, rita, "tie")

    ranking = leaderboard.leaderboard()

    assert [(r.model, r.wins, r.comparisons) for r in ranking] == [("test/x", 3.5, 4), ("test/z", 0.5, 1), ("test/y", 0.0, 3)]


@pytest.mark.django_db
def test_it_fits_the_leaderboard_once_until_a_comparison_is_added_or_changed(rita, raj, monkeypatch):
    cache.clear()
    bulk_items(3)
    fits = []
    original = leaderboard.rank
    monkeypatch.setattr(leaderboard, "rank", lambda comparisons: fits.append(len(comparisons)) or original(comparisons))
    x, y = RatingItem.objects.filter(scenario_key="scenario:0", model_key__in=BULK_MODELS[:2]).order_by("model_key")
    vote(x, y, rita, "a")

    first = leaderboard.leaderboard()
    assert leaderboard.leaderboard() == first
    assert fits == [1]

    vote(x, y, raj, "b")  # a new comparison
    assert [r.wins for r in leaderboard.leaderboard()] == [1.0, 1.0]
    vote(x, y, raj, "a")  # a changed choice
    assert [(r.model, r.wins) for r in leaderboard.leaderboard()] == [("test/x", 2.0), ("test/y", 0.0)]
    assert fits == [1, 2, 2]


# The leaderboard page.


@pytest.mark.django_db
def test_it_ranks_the_models_with_their_quality_and_the_agreement_figures(rita, olivia, raj, secret_model, rules_model):
    for n in range(4):
        strong = make_item(secret_model.key, scenario_key=f"scenario:{n}", automatic_quality=0.9)
        weak = make_item(rules_model.key, scenario_key=f"scenario:{n}", automatic_quality=0.5 + n / 10)
        vote(weak, strong, rita, "b")
        rate(strong, rita, 5, wrong_plan=n == 0)
        rate(strong, raj, 4)
        rate(weak, rita, 1 + n)

    response = client_for(olivia).get(LEADERBOARD_URL)  # an operator: the figures are theirs to see

    html = response.content.decode()
    assert html.index("Acme Secret X") < html.index("Rules engine")
    ranking = [place.ranked for place in response.context["standings"].ranking]
    assert [(ranked.model, ranked.wins, ranked.comparisons) for ranked in ranking] == [
        (secret_model.key, 4.0, 4), (rules_model.key, 0.0, 4)]
    assert f"{ranking[0].strength:.3f}" in html
    assert f"{ranking[0].ci_low:.3f} – {ranking[0].ci_high:.3f}" in html
    quality = {place.model: place.figure for place in response.context["standings"].quality}
    assert quality[secret_model.key]["human_n"] == 8
    assert quality[secret_model.key]["flags"]["wrong_plan"] == 1
    assert "n=8" in html
    assert "n=4" in html
    assert response.context["standings"].inter_rater[0].n == 4  # the items two raters rated
    assert response.context["standings"].automatic_vs_human.n == 8


@pytest.mark.django_db
def test_the_leaderboard_page_shows_the_cached_fit(rita, olivia, monkeypatch):
    cache.clear()
    bulk_items(2)
    for n in range(2):
        x, y = RatingItem.objects.filter(scenario_key=f"scenario:{n}", model_key__in=BULK_MODELS[:2]).order_by("model_key")
        vote(x, y, rita, "a")
    fitted = leaderboard.leaderboard()
    monkeypatch.setattr(leaderboard, "rank", lambda comparisons: pytest.fail("refitted an unchanged leaderboard"))

    response = client_for(olivia).get(LEADERBOARD_URL)

    assert [place.ranked for place in response.context["standings"].ranking] == fitted
