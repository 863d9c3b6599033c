import pytest
from django.core.exceptions import PermissionDenied

from evaluation.models import QualityRating
from evaluation.ratings.actions import RatingRefused, rate_result
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
@pytest.mark.parametrize("overall", [0, 6, True, "3", 3.5, None])
def test_it_refuses_a_score_that_is_not_a_whole_number_from_1_to_5(rita, overall):
    with pytest.raises(RatingRefused, match="overall must be a whole number from 1 to 5"):
        rate_result(make_item("test/model"), rater=rita, why_sensible=3, values_reasonable=3, overall=overall)
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_rating_permission(nemo):
    item = make_item("test/model")

    for user in (nemo, None):
        with pytest.raises(PermissionDenied):
            rate_result(item, rater=user, why_sensible=3, values_reasonable=3, overall=3)
    assert not QualityRating.objects.exists()
