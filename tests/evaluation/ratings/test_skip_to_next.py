import pytest

from evaluation.ratings.queue import queue
from tests.evaluation.ratings.conftest import NEXT_URL, item_url
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_skips_to_the_item_after_the_one_on_screen_and_round_the_end(rita, rita_client):
    for n in range(3):
        make_item("test/model", scenario_key=f"scenario:{n}")
    order = queue(rita)

    assert rita_client.get(NEXT_URL, {"skip": order[0].pk}).url == item_url(order[1])
    assert rita_client.get(NEXT_URL, {"skip": order[1].pk}).url == item_url(order[2])
    assert rita_client.get(NEXT_URL, {"skip": order[2].pk}).url == item_url(order[0])
