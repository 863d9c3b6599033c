"""The ratings API: the next output to rate (blind, or 204 when none is left), a rating on the rubric
(one per rater, earlier values kept on edit, a score off the scale named), the next pair and a
choice on it (two models on the same input), who may rate through it (a key acting for a user
with the rating permission: product staff or operators), and a model's quality by its key."""

import pytest

from evaluation.models import AIModel, PairwiseComparison, QualityRating, QualityRatingRevision, RatingItem
from evaluation.ratings.actions import rate_result
from tests.conftest import key_headers

PAYLOAD = {"usage_summary": {"summary": "Usage averages 1,000 kWh a month."},
           "recommendations": [{"rank": 1, "plan_id": 1, "plan_name": "Saver 12", "why": "Cheapest."}]}
SCORES = {"why_sensible": 4, "values_reasonable": 5, "overall": 4}
RUBRIC = {**SCORES, "wrong_plan": True, "comment": "ok"}


@pytest.fixture
def items(db) -> list[RatingItem]:
    """Two outputs for the same input from two models, and one for another input."""
    return [
        RatingItem.objects.create(source="benchmark", scenario_key="s1", model_key="acme/secret-model-x", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [1000] * 12}, automatic_quality=0.9),
        RatingItem.objects.create(source="benchmark", scenario_key="s1", model_key="builtin/rules", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [1000] * 12}, automatic_quality=1.0),
        RatingItem.objects.create(source="live", scenario_key="s2", model_key="builtin/rules", payload=PAYLOAD,
                                  inputs={"monthly_usage_kwh": [500] * 12}),
    ]


def post_rating(client, headers: dict[str, str], **body):
    return client.post("/api/v1/ratings", body, content_type="application/json", headers=headers)


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


@pytest.mark.django_db
def test_it_records_one_rating_per_rater_and_keeps_the_old_values_on_edit(client, items, staff, staff_headers):
    first = post_rating(client, staff_headers, item_id=items[0].public_id, **RUBRIC)
    second = post_rating(client, staff_headers, item_id=items[0].public_id, **{**RUBRIC, "overall": 2})

    assert first.status_code == 200, first.content
    assert second.json()["overall"] == 2
    assert second.json()["revisions"] == 1
    rating = QualityRating.objects.get()
    assert (rating.rater, rating.overall, rating.wrong_plan) == (staff, 2, True)
    assert QualityRatingRevision.objects.get().values["overall"] == 4


@pytest.mark.django_db
def test_it_rejects_a_score_outside_the_rubric_naming_the_field(client, items, staff_headers):
    response = post_rating(client, staff_headers, item_id=items[0].public_id, **{**RUBRIC, "overall": 6})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "overall"
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_item(client, items, staff_headers):
    response = post_rating(client, staff_headers, item_id="no-such-item", **RUBRIC)

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_serves_a_pair_and_records_a_choice_on_it(client, items, staff, staff_headers):
    served = client.get("/api/v1/ratings/pairwise/next", headers=staff_headers)

    assert served.status_code == 200, served.content
    pair = served.json()
    assert {pair["a"]["id"], pair["b"]["id"]} == {items[0].public_id, items[1].public_id}  # the two models on one input
    assert b"acme" not in served.content
    response = client.post("/api/v1/ratings/pairwise", {"pair": pair["pair"], "choice": "a"},
                           content_type="application/json", headers=staff_headers)

    assert response.status_code == 200, response.content
    assert response.json() == {"pair": pair["pair"], "choice": "a"}
    comparison = PairwiseComparison.objects.get()
    winner = items[0] if pair["a"]["id"] == items[0].public_id else items[1]
    assert comparison.rater == staff
    assert comparison.choice == ("a" if comparison.item_a == winner else "b")
    assert client.get("/api/v1/ratings/pairwise/next", headers=staff_headers).status_code == 204  # none left


@pytest.mark.django_db
def test_it_refuses_a_key_without_a_user(client, items, auth_headers):
    response = post_rating(client, auth_headers, item_id=items[0].public_id, **SCORES)

    assert response.status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_rating_permission(client, items, django_user_model):
    outsider = django_user_model.objects.create_user("outsider")
    response = post_rating(client, key_headers(outsider), item_id=items[0].public_id, **SCORES)

    assert response.status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_lets_operators_rate_too(client, items, operator_headers):
    response = post_rating(client, operator_headers, item_id=items[0].public_id, **SCORES)

    assert response.status_code == 200


@pytest.mark.django_db
def test_it_reports_a_models_human_and_automatic_quality_by_key_with_a_slash(
        client, items, rules_model, staff, operator_headers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the catalog figure is refreshed after commit
        rate_result(items[1], rater=staff, why_sensible=5, values_reasonable=5, overall=5)

    response = client.get("/api/v1/models/builtin/rules/quality", headers=operator_headers)  # can see models

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model"] == "builtin/rules"
    assert (body["human"], body["human_n"]) == (1.0, 1)
    assert (body["automatic"], body["automatic_n"]) == (1.0, 1)
    # One human rating is under RATING_MIN_HUMAN: the automatic figure stands alone.
    assert body["quality"] == 1.0
    assert AIModel.objects.get(key="builtin/rules").quality_score == 1.0


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_model(client, auth_headers):
    assert client.get("/api/v1/models/nobody/nothing/quality", headers=auth_headers).status_code == 404
