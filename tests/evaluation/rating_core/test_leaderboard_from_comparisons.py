import pytest

from evaluation.models import PairwiseComparison
from evaluation.ratings.leaderboard import leaderboard
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_ranks_the_models_behind_the_compared_outputs_whichever_side_they_were_shown(rita):
    for n in range(3):
        x = make_item("test/x", scenario_key=f"scenario:{n}")
        y = make_item("test/y", scenario_key=f"scenario:{n}")
        left, right, choice = (x, y, "a") if n % 2 else (y, x, "b")
        PairwiseComparison.objects.create(item_a=left, item_b=right, rater=rita, choice=choice)
    z = make_item("test/z", scenario_key="scenario:0")
    PairwiseComparison.objects.create(item_a=z, item_b=x, rater=rita, choice="tie")

    ranking = leaderboard()

    assert [(r.model, r.wins, r.comparisons) for r in ranking] == [("test/x", 3.5, 4), ("test/z", 0.5, 1), ("test/y", 0.0, 3)]
