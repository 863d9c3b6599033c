import pytest

from evaluation.ratings.queue import queue
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_shuffles_equally_rated_items_differently_for_each_rater(rita, raj):
    items = [make_item(f"test/model-{n % 3}", scenario_key=f"scenario:{n}") for n in range(20)]

    ritas, rajs = [i.pk for i in queue(rita)], [i.pk for i in queue(raj)]

    assert sorted(ritas) == sorted(rajs) == [i.pk for i in items]
    assert ritas != rajs
    assert ritas != sorted(ritas)  # not creation order, which would tell which run came first
