import pytest

from evaluation.models import QualityRating
from evaluation.ratings.queue import next_item
from tests.evaluation.ratings.conftest import NEXT_URL, item_url
from tests.evaluation.ratings.items import make_item

RUBRIC = {"why_sensible": "4", "values_reasonable": "5", "overall": "4", "wrong_plan": "on", "comment": " fine "}


@pytest.mark.django_db
def test_it_saves_the_rubric_and_goes_straight_to_the_next_item(rita, rita_client):
    first = make_item("test/model-a", scenario_key="scenario:1")
    second = make_item("test/model-b", scenario_key="scenario:2")
    shown = next_item(rita)

    response = rita_client.post(item_url(shown), RUBRIC, follow=True)

    rating = QualityRating.objects.get(rater=rita)
    assert (rating.item, rating.why_sensible, rating.values_reasonable, rating.overall) == (shown, 4, 5, 4)
    flags = (rating.hallucinated_number, rating.wrong_plan, rating.ignored_preference)
    assert (flags, rating.comment) == ((False, True, False), "fine")
    other = second if shown == first else first
    assert response.redirect_chain == [(NEXT_URL, 302), (item_url(other), 302)]
