import pytest

from evaluation.models import AIModel
from evaluation.ratings.actions import rate_result


@pytest.mark.django_db
def test_it_reports_a_models_human_and_automatic_quality_by_key_with_a_slash(
        client, items, rules_model, staff, auth_headers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the catalog figure is refreshed after commit
        rate_result(items[1], rater=staff, why_sensible=5, values_reasonable=5, overall=5)

    response = client.get("/api/v1/models/builtin/rules/quality", headers=auth_headers)

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
