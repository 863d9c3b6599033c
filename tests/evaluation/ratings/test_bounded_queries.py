"""Issue 12, bounded rating pages: the pair queue reads a few inputs' items, not every pair; the
leaderboard's Bradley–Terry fit is cached until a comparison is added or changed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import PairwiseComparison, RatingItem
from evaluation.ratings import leaderboard, queue
from evaluation.ratings.actions import compare_pair
from tests.evaluation.ratings.conftest import LEADERBOARD_URL, PAIR_URL
from tests.evaluation.ratings.items import PAYLOAD

MODELS = ("test/x", "test/y", "test/z")


def outputs(scenarios: int, per_model: int = 1, start: int = 0) -> None:
    RatingItem.objects.bulk_create([
        RatingItem(source=RatingItem.Source.BENCHMARK, scenario_key=f"scenario:{n}", model_key=model, payload=PAYLOAD)
        for n in range(start, start + scenarios) for model in MODELS for _ in range(per_model)
    ])


@pytest.mark.django_db
def test_it_serves_a_pair_in_a_few_queries_whatever_the_number_of_outputs(rita, django_assert_max_num_queries):
    outputs(20)
    with CaptureQueriesContext(connection) as small:
        assert queue.next_pair(rita) is not None
    outputs(400, per_model=3, start=20)

    with django_assert_max_num_queries(len(small.captured_queries)):
        left, right = queue.next_pair(rita)

    assert left.scenario_key == right.scenario_key
    assert left.model_key != right.model_key


@pytest.mark.django_db
def test_it_weighs_a_bounded_number_of_pairs(rita, monkeypatch):
    outputs(300, per_model=4)  # 300 inputs, 12 outputs each: 300 × 48 pairs of different models
    weighed = []
    original = queue.open_pairs
    monkeypatch.setattr(queue, "open_pairs", lambda *args: (weighed.append(1) or pair for pair in original(*args)))

    assert queue.next_pair(rita) is not None
    assert len(weighed) <= queue.PAIR_SCENARIOS * queue.PAIRS_PER_SCENARIO


@pytest.mark.django_db
def test_it_moves_on_to_inputs_the_rater_has_not_finished(rita, raj):
    outputs(queue.PAIR_SCENARIOS + 2)
    seen = set()
    while (pair := queue.next_pair(rita)) is not None:
        left, right = pair
        assert frozenset((left.pk, right.pk)) not in seen
        seen.add(frozenset((left.pk, right.pk)))
        compare_pair(left, right, rater=rita, choice="tie")

    assert len(seen) == (queue.PAIR_SCENARIOS + 2) * 3  # every pair of every input, each once
    assert queue.next_pair(raj) is not None


@pytest.mark.django_db
def test_it_fits_the_leaderboard_once_until_a_comparison_is_added_or_changed(rita, raj, monkeypatch):
    cache.clear()
    outputs(3)
    fits = []
    original = leaderboard.rank
    monkeypatch.setattr(leaderboard, "rank", lambda comparisons: fits.append(len(comparisons)) or original(comparisons))
    x, y = RatingItem.objects.filter(scenario_key="scenario:0", model_key__in=MODELS[:2]).order_by("model_key")
    compare_pair(x, y, rater=rita, choice="a")

    first = leaderboard.leaderboard()
    assert leaderboard.leaderboard() == first
    assert fits == [1]

    compare_pair(x, y, rater=raj, choice="b")  # a new comparison
    assert [r.wins for r in leaderboard.leaderboard()] == [1.0, 1.0]
    compare_pair(x, y, rater=raj, choice="a")  # a changed choice
    assert [(r.model, r.wins) for r in leaderboard.leaderboard()] == [("test/x", 2.0), ("test/y", 0.0)]
    assert fits == [1, 2, 2]


@pytest.mark.django_db
def test_the_leaderboard_page_shows_the_cached_fit(rita, rita_client, monkeypatch):
    cache.clear()
    outputs(2)
    for n in range(2):
        x, y = RatingItem.objects.filter(scenario_key=f"scenario:{n}", model_key__in=MODELS[:2]).order_by("model_key")
        PairwiseComparison.objects.create(item_a=x, item_b=y, rater=rita, choice="a")
    fitted = leaderboard.leaderboard()
    monkeypatch.setattr(leaderboard, "rank", lambda comparisons: pytest.fail("refitted an unchanged leaderboard"))

    response = rita_client.get(LEADERBOARD_URL)

    assert [ranked for ranked, _ in response.context["standings"].ranking] == fitted


@pytest.mark.django_db
def test_the_pair_page_serves_a_pair_of_different_models_on_one_input(rita_client):
    outputs(50)

    response = rita_client.get(PAIR_URL)

    left, right = response.context["pair"]
    form = response.context["form"]
    chosen = RatingItem.objects.filter(pk__in=(form.initial["left"], form.initial["right"]))
    assert {item.scenario_key for item in chosen} == {chosen[0].scenario_key}
    assert len({item.model_key for item in chosen}) == 2
    assert left.request == right.request
