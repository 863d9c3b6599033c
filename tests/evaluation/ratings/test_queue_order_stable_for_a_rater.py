import pytest

from evaluation.ratings.queue import queue
from tests.evaluation.ratings.conftest import NEXT_URL, item_url
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_keeps_one_raters_order_from_one_visit_to_the_next(rita, rita_client):
    for n in range(12):
        make_item(f"test/model-{n % 2}", scenario_key=f"scenario:{n}")

    first = [i.pk for i in queue(rita)]

    assert [i.pk for i in queue(rita)] == first
    assert rita_client.get(NEXT_URL).url == f"/rate/item/{first[0]}/"
    assert rita_client.get(NEXT_URL).url == item_url(queue(rita)[0])
