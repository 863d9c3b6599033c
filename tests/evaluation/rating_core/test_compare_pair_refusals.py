import pytest
from django.core.exceptions import PermissionDenied

from evaluation.models import PairwiseComparison
from evaluation.ratings.actions import RatingRefused, compare_pair
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_refuses_anything_but_two_models_answering_the_same_input(rita, nemo):
    a = make_item("test/model-a", scenario_key="scenario:1")
    a_again = make_item("test/model-a", scenario_key="scenario:1")
    b = make_item("test/model-b", scenario_key="scenario:1")
    b_elsewhere = make_item("test/model-b", scenario_key="scenario:2")

    for left, right, message in ((a, a, "two different outputs"), (a, b_elsewhere, "same input"),
                                 (a, a_again, "two different models")):
        with pytest.raises(RatingRefused, match=message):
            compare_pair(left, right, rater=rita, choice="a")
    with pytest.raises(RatingRefused, match="a, b or tie"):
        compare_pair(a, b, rater=rita, choice="left")
    with pytest.raises(PermissionDenied):
        compare_pair(a, b, rater=nemo, choice="a")
    assert not PairwiseComparison.objects.exists()


@pytest.mark.django_db
def test_it_keeps_one_choice_per_rater_per_pair(rita):
    a, b = make_item("test/model-a"), make_item("test/model-b")

    compare_pair(a, b, rater=rita, choice="a")
    compare_pair(a, b, rater=rita, choice="tie")

    assert list(PairwiseComparison.objects.values_list("choice", flat=True)) == ["tie"]
