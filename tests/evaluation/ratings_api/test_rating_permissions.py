import pytest

from evaluation.models import QualityRating
from tests.evaluation.api.conftest import key_headers

RUBRIC = {"why_sensible": 4, "values_reasonable": 5, "overall": 4}


@pytest.mark.django_db
def test_it_refuses_a_key_without_a_user(client, items, auth_headers):
    response = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC}, content_type="application/json",
                           headers=auth_headers)

    assert response.status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_rating_permission(client, items, django_user_model):
    outsider = django_user_model.objects.create_user("outsider")
    response = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC}, content_type="application/json",
                           headers=key_headers(outsider))

    assert response.status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_lets_operators_rate_too(client, items, operator_headers):
    response = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC}, content_type="application/json",
                           headers=operator_headers)

    assert response.status_code == 200
