import pytest

from evaluation.models import PairwiseComparison
from tests.evaluation.ratings.conftest import PAIR_URL
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_records_nothing_for_two_outputs_of_the_same_model(rita_client):
    left = make_item("test/model-a")
    right = make_item("test/model-a")

    response = rita_client.post(PAIR_URL, {"left": left.pk, "right": right.pk, "choice": "a"}, follow=True)

    assert not PairwiseComparison.objects.exists()
    assert "Not recorded: a pair compares two different models" in response.content.decode()
