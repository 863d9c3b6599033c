import pytest

from evaluation.models import PairwiseComparison
from tests.evaluation.ratings.conftest import PAIR_URL
from tests.evaluation.ratings.items import make_item


def shown_pair(response) -> tuple[int, int]:
    form = response.context["form"]
    return form["left"].value(), form["right"].value()


@pytest.mark.django_db
def test_it_records_the_choice_for_the_pair_on_screen_and_serves_the_next_pair(rita, rita_client):
    for scenario in ("scenario:1", "scenario:2"):
        make_item("test/model-a", scenario_key=scenario)
        make_item("test/model-b", scenario_key=scenario)
    first = shown_pair(rita_client.get(PAIR_URL))

    response = rita_client.post(PAIR_URL, {"left": first[0], "right": first[1], "choice": "b"}, follow=True)

    comparison = PairwiseComparison.objects.get()
    assert (comparison.item_a_id, comparison.item_b_id, comparison.rater, comparison.choice) == (*first, rita, "b")
    second = shown_pair(response)
    assert set(second).isdisjoint(first)

    response = rita_client.post(PAIR_URL, {"left": second[0], "right": second[1], "choice": "tie"}, follow=True)

    assert PairwiseComparison.objects.count() == 2
    assert response.context["pair"] is None
    assert "No pairs left" in response.content.decode()
