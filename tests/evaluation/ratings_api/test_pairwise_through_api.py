import pytest

from evaluation.models import PairwiseComparison


@pytest.mark.django_db
def test_it_records_a_choice_between_two_models_for_the_same_input(client, items, staff, staff_headers):
    response = client.post("/api/v1/ratings/pairwise", {"item_a": items[0].pk, "item_b": items[1].pk, "choice": "a"},
                           content_type="application/json", headers=staff_headers)

    assert response.status_code == 200, response.content
    assert PairwiseComparison.objects.get().rater == staff


@pytest.mark.django_db
def test_it_refuses_a_pair_of_different_inputs(client, items, staff_headers):
    response = client.post("/api/v1/ratings/pairwise", {"item_a": items[0].pk, "item_b": items[2].pk, "choice": "tie"},
                           content_type="application/json", headers=staff_headers)

    assert response.status_code == 422
    assert "same input" in response.json()["detail"]
    assert not PairwiseComparison.objects.exists()
