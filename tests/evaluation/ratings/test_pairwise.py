"""Pairwise comparisons: the pair queue serves two different models' outputs for one input until
the rater has compared every such pair (reading a bounded number of inputs and pairs, whatever
the number of outputs), the pair page records the choice for the pair on screen, and a choice
that is not a, b or tie, or a user without the permission, is refused; a rater keeps one choice
per pair. What a determined rater may try (pairs never served, the pair reversed) is in
test_blind_against_a_determined_rater.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import PairwiseComparison, RatingItem
from evaluation.ratings import queue
from evaluation.ratings.actions import RatingRefused, compare_pair
from evaluation.ratings.pairs import serve, served
from tests.evaluation.ratings.items import PAIR_URL, bulk_items, make_item, vote


def shown_pair(response) -> str:
    return response.context["form"]["pair"].value()


def choice_as_shown(comparison: PairwiseComparison, token: str, rater) -> str:
    """The stored choice as the rater saw the pair: a for the left output."""
    pair = served(token, rater=rater)
    assert {comparison.item_a_id, comparison.item_b_id} == {pair.left.pk, pair.right.pk}
    turned = {"a": "b", "b": "a", "tie": "tie"}
    return comparison.choice if comparison.item_a_id == pair.left.pk else turned[comparison.choice]


@pytest.mark.django_db
def test_it_pairs_different_models_on_the_same_input_until_each_pair_is_compared(rita, raj):
    a, b = make_item("test/model-a", scenario_key="scenario:1"), make_item("test/model-b", scenario_key="scenario:1")
    make_item("test/model-a", scenario_key="scenario:1")  # same model as a: never paired with it
    make_item("test/model-c", scenario_key="scenario:2")  # alone on its input

    seen = set()
    while (pair := queue.next_pair(rita)) is not None:
        left, right = pair
        assert left.scenario_key == right.scenario_key
        assert left.model_key != right.model_key
        seen.add(frozenset((left.pk, right.pk)))
        vote(left, right, rita, "tie")

    assert len(seen) == 2
    assert frozenset((a.pk, b.pk)) in seen
    assert queue.next_pair(raj) is not None  # Rita's comparisons are hers only


@pytest.mark.django_db
def test_it_serves_a_pair_in_a_few_queries_whatever_the_number_of_outputs(rita, django_assert_max_num_queries):
    bulk_items(20)
    with CaptureQueriesContext(connection) as small:
        assert queue.next_pair(rita) is not None
    bulk_items(400, per_model=3, start=20)

    with django_assert_max_num_queries(len(small.captured_queries)):
        left, right = queue.next_pair(rita)

    assert left.scenario_key == right.scenario_key
    assert left.model_key != right.model_key


@pytest.mark.django_db
def test_it_weighs_a_bounded_number_of_pairs(rita, monkeypatch):
    bulk_items(300, per_model=4)  # 300 inputs, 12 outputs each: 300 × 48 pairs of different models
    weighed = []
    original = queue.open_pairs
    monkeypatch.setattr(queue, "open_pairs", lambda *args: (weighed.append(1) or pair for pair in original(*args)))

    assert queue.next_pair(rita) is not None
    assert len(weighed) <= queue.PAIR_SCENARIOS * queue.PAIRS_PER_SCENARIO


@pytest.mark.django_db
def test_it_moves_on_to_inputs_the_rater_has_not_finished(rita, raj):
    bulk_items(queue.PAIR_SCENARIOS + 2)
    seen = set()
    while (pair := queue.next_pair(rita)) is not None:
        left, right = pair
        assert frozenset((left.pk, right.pk)) not in seen
        seen.add(frozenset((left.pk, right.pk)))
        vote(left, right, rita, "tie")

    assert len(seen) == (queue.PAIR_SCENARIOS + 2) * 3  # every pair of every input, each once
    assert queue.next_pair(raj) is not None


@pytest.mark.django_db
def test_the_pair_page_serves_a_pair_of_different_models_on_one_input(rita, rita_client):
    bulk_items(50)

    response = rita_client.get(PAIR_URL)

    left, right = response.context["pair"]
    pair = served(shown_pair(response), rater=rita)
    assert (left.item_id, right.item_id) == (pair.left.public_id, pair.right.public_id)
    chosen = RatingItem.objects.filter(pk__in=(pair.left.pk, pair.right.pk))
    assert {item.scenario_key for item in chosen} == {chosen[0].scenario_key}
    assert len({item.model_key for item in chosen}) == 2
    assert left.request == right.request


@pytest.mark.django_db
def test_it_records_the_choice_for_the_pair_on_screen_and_serves_the_next_pair(rita, rita_client):
    for scenario in ("scenario:1", "scenario:2"):
        make_item("test/model-a", scenario_key=scenario)
        make_item("test/model-b", scenario_key=scenario)
    first = shown_pair(rita_client.get(PAIR_URL))

    response = rita_client.post(PAIR_URL, {"pair": first, "choice": "b"}, follow=True)

    comparison = PairwiseComparison.objects.get()
    assert (comparison.rater, choice_as_shown(comparison, first, rita)) == (rita, "b")
    second = shown_pair(response)
    first_items, second_items = served(first, rater=rita), served(second, rater=rita)
    assert {second_items.left, second_items.right}.isdisjoint({first_items.left, first_items.right})

    response = rita_client.post(PAIR_URL, {"pair": second, "choice": "tie"}, follow=True)

    assert PairwiseComparison.objects.count() == 2
    assert response.context["pair"] is None
    assert "No pairs left" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_choice_that_is_not_a_b_or_tie_and_a_user_without_the_permission(rita, nemo):
    a, b = make_item("test/model-a"), make_item("test/model-b")

    with pytest.raises(RatingRefused, match="a, b or tie"):
        compare_pair(serve(rita, a, b), rater=rita, choice="left")
    with pytest.raises(PermissionDenied):
        compare_pair(serve(nemo, a, b), rater=nemo, choice="a")
    assert not PairwiseComparison.objects.exists()


@pytest.mark.django_db
def test_it_keeps_one_choice_per_rater_per_pair(rita):
    a, b = make_item("test/model-a"), make_item("test/model-b")

    vote(a, b, rita, "a")
    vote(a, b, rita, "tie")

    assert list(PairwiseComparison.objects.values_list("choice", flat=True)) == ["tie"]
