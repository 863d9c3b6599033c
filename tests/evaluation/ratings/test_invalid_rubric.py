import pytest

from evaluation.models import QualityRating
from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
@pytest.mark.parametrize("overall", ["", "0", "6", "three"])
def test_it_shows_the_form_again_and_stores_nothing_for_a_score_off_the_scale(rita_client, overall):
    item = make_item("test/model")

    response = rita_client.post(item_url(item), {"why_sensible": "3", "values_reasonable": "3", "overall": overall})

    assert response.status_code == 200
    assert response.context["form"].errors["overall"]
    assert not QualityRating.objects.exists()
