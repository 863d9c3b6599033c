import pytest

from evaluation.models import QualityRating, QualityRatingRevision

RUBRIC = {"why_sensible": 4, "values_reasonable": 5, "overall": 4, "wrong_plan": True, "comment": "ok"}


@pytest.mark.django_db
def test_it_records_one_rating_per_rater_and_keeps_the_old_values_on_edit(client, items, staff, staff_headers):
    first = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC}, content_type="application/json",
                        headers=staff_headers)
    second = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC, "overall": 2},
                         content_type="application/json", headers=staff_headers)

    assert first.status_code == 200, first.content
    assert second.json()["overall"] == 2
    assert second.json()["revisions"] == 1
    rating = QualityRating.objects.get()
    assert (rating.rater, rating.overall, rating.wrong_plan) == (staff, 2, True)
    assert QualityRatingRevision.objects.get().values["overall"] == 4


@pytest.mark.django_db
def test_it_rejects_a_score_outside_the_rubric_naming_the_field(client, items, staff_headers):
    response = client.post("/api/v1/ratings", {"item_id": items[0].pk, **RUBRIC, "overall": 6},
                           content_type="application/json", headers=staff_headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "overall"
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_item(client, items, staff_headers):
    response = client.post("/api/v1/ratings", {"item_id": 999_999, **RUBRIC}, content_type="application/json",
                           headers=staff_headers)

    assert response.status_code == 404
