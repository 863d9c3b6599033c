import pytest


@pytest.mark.django_db
def test_it_serves_the_next_item_without_anything_that_names_its_model(client, items, staff_headers):
    response = client.get("/api/v1/ratings/next", headers=staff_headers)

    assert response.status_code == 200
    assert set(response.json()) == {"id", "inputs", "recommendation"}
    assert b"acme" not in response.content
    assert b"builtin/rules" not in response.content


@pytest.mark.django_db
def test_it_answers_204_when_the_rater_has_rated_everything(client, staff_headers):
    assert client.get("/api/v1/ratings/next", headers=staff_headers).status_code == 204
