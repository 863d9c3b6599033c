import pytest

from evaluation.models import QualityRating, QualityRatingRevision
from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_updates_the_raters_rating_on_a_second_submit_and_keeps_the_first_as_a_revision(rita, rita_client):
    item = make_item("test/model")

    rita_client.post(item_url(item), {"why_sensible": "2", "values_reasonable": "2", "overall": "2", "comment": "first"})
    rita_client.post(item_url(item), {"why_sensible": "5", "values_reasonable": "4", "overall": "5", "ignored_preference": "on"})

    rating = QualityRating.objects.get()
    assert (rating.rater, rating.overall, rating.ignored_preference, rating.comment) == (rita, 5, True, "")
    revision = QualityRatingRevision.objects.get()
    assert revision.rating == rating
    assert revision.values == {"why_sensible": 2, "values_reasonable": 2, "overall": 2, "hallucinated_number": False,
                               "wrong_plan": False, "ignored_preference": False, "comment": "first"}
