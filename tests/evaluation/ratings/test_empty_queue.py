import pytest

from tests.evaluation.ratings.conftest import NEXT_URL, QUEUE_URL


@pytest.mark.django_db
def test_it_sends_the_rater_back_to_the_queue_when_nothing_is_left(rita_client):
    response = rita_client.get(NEXT_URL, follow=True)

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "Nothing left to rate" in response.content.decode()
    assert "0 outputs waiting for you" in response.content.decode()
