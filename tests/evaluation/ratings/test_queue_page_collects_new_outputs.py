import pytest

from evaluation.models import RatingItem
from tests.evaluation.ratings.conftest import QUEUE_URL


@pytest.mark.django_db
def test_it_puts_new_benchmark_outputs_in_the_queue_when_it_opens(rita_client, pipeline_items):
    RatingItem.objects.all().delete()

    html = rita_client.get(QUEUE_URL).content.decode()

    assert RatingItem.objects.count() == len(pipeline_items)
    assert f"{len(pipeline_items)} outputs waiting for you" in html
    assert 'href="/rate/next/"' in html
    assert "Start rating" in html
    assert 'href="/rate/pair/"' in html
    assert 'href="/rate/leaderboard/"' in html
