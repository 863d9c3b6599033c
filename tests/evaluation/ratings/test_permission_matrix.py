import pytest
from django.test import Client

from evaluation.models import QualityRating
from tests.evaluation.ratings.conftest import LEADERBOARD_URL, NEXT_URL, PAIR_URL, QUEUE_URL, item_url
from tests.evaluation.ratings.items import client_for, make_item

RUBRIC = {"why_sensible": "3", "values_reasonable": "3", "overall": "3"}


@pytest.fixture
def pages(db) -> list[str]:
    item = make_item("test/model-a")
    make_item("test/model-b")
    return [QUEUE_URL, NEXT_URL, item_url(item), PAIR_URL, LEADERBOARD_URL]


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_the_admin_login(pages):
    client = Client()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"/admin/login/?next={url}")
    assert client.post(pages[2], RUBRIC).url.startswith("/admin/login/")
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_answers_403_to_a_user_without_the_rating_permission(pages, nemo):
    client = client_for(nemo)

    for url in pages:
        assert client.get(url).status_code == 403
    assert client.post(pages[2], RUBRIC).status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["rita", "olivia"])
def test_it_lets_product_staff_and_operators_rate(pages, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client = client_for(user)

    assert [client.get(url, follow=True).status_code for url in pages] == [200] * len(pages)
    assert client.post(pages[2], RUBRIC).status_code == 302
    assert QualityRating.objects.get().rater == user
