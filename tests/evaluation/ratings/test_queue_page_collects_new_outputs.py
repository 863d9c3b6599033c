import pytest

from evaluation.models import RatingItem
from tests.evaluation.ratings.conftest import QUEUE_URL


@pytest.mark.django_db
def test_it_shows_the_benchmark_outputs_queued_when_their_units_ended(rita_client, pipeline_items):
    # The items were written at each unit's end (issue 12: a page view writes nothing).
    html = rita_client.get(QUEUE_URL).content.decode()

    assert RatingItem.objects.count() == len(pipeline_items)
    assert f"{len(pipeline_items)} outputs waiting for you" in html
    assert 'href="/rate/next/"' in html
    assert "Start rating" in html
    assert 'href="/rate/pair/"' in html
    assert 'href="/rate/leaderboard/"' in html
