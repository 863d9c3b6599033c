import pytest

from evaluation.ratings.actions import rate_result
from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_shows_the_raters_own_rating_filled_in_for_editing(rita, rita_client):
    item = make_item("test/model")
    rate_result(item, rater=rita, why_sensible=2, values_reasonable=5, overall=3, wrong_plan=True, comment="too dear")
    rate_result(item, rater=rita, why_sensible=2, values_reasonable=5, overall=4, wrong_plan=True, comment="too dear")

    response = rita_client.get(item_url(item))

    form = response.context["form"]
    assert {name: form[name].value() for name in ("why_sensible", "values_reasonable", "overall", "wrong_plan", "comment")} \
        == {"why_sensible": 2, "values_reasonable": 5, "overall": 4, "wrong_plan": True, "comment": "too dear"}
    html = response.content.decode()
    assert 'value="4" required id="id_overall_3" checked' in html
    assert "1 earlier version kept" in html
