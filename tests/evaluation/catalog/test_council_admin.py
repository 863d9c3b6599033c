"""Composing a council in the admin: the form is the audited action, so a refusal is an error on the
field it names and nothing is stored; a change is saved with its catalog change row."""

import pytest

from evaluation.models import AIModel, CatalogChange, Council
from evaluation.seeds.accounts import OPERATORS
from tests.evaluation.conftest import COUNCIL
from tests.evaluation.slots.switchboard import logged_in

ADD_URL = "/admin/evaluation/council/add/"


def form(council_models, **changes) -> dict:
    return {"key": COUNCIL, "display_name": "Remote trio",
            "members": [council_models[k].pk for k in ("remote/a", "remote/b", "remote/c")],
            "chairman": council_models["remote/chair"].pk, "min_answers": 2, "ranking_share": 0.67,
            "answers_timeout_s": 20, "ranking_timeout_s": 10, "synthesis_timeout_s": 20,
            "reason": "three remote models", **changes}


@pytest.mark.django_db
def test_an_operator_composes_a_council_and_it_is_audited(council_models):
    client = logged_in("olivia", OPERATORS)
    assert client.get(ADD_URL).status_code == 200

    response = client.post(ADD_URL, form(council_models))

    assert response.status_code == 302, response.content.decode()[:2000]
    council = Council.objects.get(model__key=COUNCIL)
    assert sorted(m.key for m in council.members.all()) == ["remote/a", "remote/b", "remote/c"]
    assert council.model.provider.kind == "council"
    change = CatalogChange.objects.get(object_label=COUNCIL)
    assert (change.kind, change.acting_user.username, change.reason) == ("create", "olivia", "three remote models")
    assert change.after["chairman"] == "remote/chair"
    listed = client.get("/admin/evaluation/council/").content.decode()
    assert "remote/a, remote/b, remote/c → remote/chair" in listed


@pytest.mark.django_db
def test_a_composition_that_cannot_work_is_a_field_error_and_stores_nothing(council_models):
    client = logged_in("olivia", OPERATORS)

    response = client.post(ADD_URL, form(council_models, min_answers=4))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["min_answers"] == ["needs 4 answers from 3 members"]
    assert not AIModel.objects.filter(key=COUNCIL).exists()
    assert not CatalogChange.objects.exists()


@pytest.mark.django_db
def test_raters_do_not_see_councils(council_models):
    client = logged_in("sam", "Product staff")

    assert client.get("/admin/evaluation/council/").status_code == 403
