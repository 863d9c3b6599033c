import pytest

from evaluation.ratings.queue import queue
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_puts_the_items_with_the_fewest_ratings_first(rita, raj, olivia):
    twice, once, never = (make_item(f"test/model-{n}", scenario_key=f"scenario:{n}") for n in range(3))
    rate(twice, raj, 3)
    rate(twice, olivia, 4)
    rate(once, raj, 2)

    assert [item.pk for item in queue(rita)] == [never.pk, once.pk, twice.pk]
    assert [item.pk for item in queue(raj)] == [never.pk]  # what Raj rated is not his to rate again
