import pytest

from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import PAYLOAD, make_item

SHOWN = [
    "$663.05", "$55.25", "100 %", "36 mo", "93.9",  # a plan's costs, renewable share, contract, score
    "summer-peaking", "August",  # the usage summary
    "495", "Rate (¢/kWh): 17", "Base fee ($ a month): 4.95",  # the request
    PAYLOAD["recommendations"][2]["why"],
]


@pytest.mark.django_db
def test_it_shows_the_request_and_the_recommendations_in_the_order_of_the_output(rita_client):
    item = make_item("acme/secret-model-x")

    html = rita_client.get(item_url(item)).content.decode()

    positions = [html.index(plan["plan_name"]) for plan in PAYLOAD["recommendations"]]
    assert positions == sorted(positions)
    for expected in SHOWN:
        assert expected in html
