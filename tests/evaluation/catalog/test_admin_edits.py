"""The admin's change forms for policy, tier, model and provider go through the audited actions:
a reason is required, an edit leaves a CatalogChange, a refusal is a form error and stores nothing."""

import pytest
from django import forms
from django.test import Client

from evaluation.models import AIModel, CatalogChange, RoutingPolicy, Slot, Tier

pytestmark = pytest.mark.django_db

POLICY_URL = "/admin/evaluation/routingpolicy/"
TIER_URL = "/admin/evaluation/tier/"
MODEL_URL = "/admin/evaluation/aimodel/"


@pytest.fixture
def admin_client(operator) -> Client:
    """The operator, let into the admin."""
    operator.is_staff = True
    operator.save()
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def served(rules_model, rules_a) -> dict[str, Slot]:
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_model)}


@pytest.fixture
def policy(served) -> RoutingPolicy:
    return RoutingPolicy.objects.create(pk=1)


def form_data(client: Client, url: str, **changes) -> dict:
    """What the change form posts back untouched, with `changes` on top."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_it_leaves_an_audit_row_when_a_model_is_edited_with_a_reason(admin_client, operator, rules_b):
    url = f"{MODEL_URL}{rules_b.pk}/change/"

    response = admin_client.post(url, form_data(admin_client, url, provider_model="rules-v2", reason="new build"))

    assert response.status_code == 302
    change = CatalogChange.objects.get()
    assert (change.object_type, change.object_label, change.acting_user) == ("model", "test/rules-b", operator)
    assert (change.before, change.after, change.reason) == ({"provider_model": "rules"},
                                                            {"provider_model": "rules-v2"}, "new build")
    assert AIModel.objects.get(pk=rules_b.pk).provider_model == "rules-v2"


def test_it_requires_a_reason(admin_client, rules_b):
    url = f"{MODEL_URL}{rules_b.pk}/change/"

    response = admin_client.post(url, form_data(admin_client, url, provider_model="rules-v2", reason=""))

    assert response.status_code == 200
    assert "reason" in form_errors(response)
    assert AIModel.objects.get(pk=rules_b.pk).provider_model == "rules"
    assert not CatalogChange.objects.exists()


def test_it_refuses_a_malformed_policy_with_a_message_and_stores_nothing(admin_client, policy):
    url = f"{POLICY_URL}1/change/"

    response = admin_client.post(url, form_data(admin_client, url, rules='[{"stage": "*"}]', reason="route by size"))

    assert response.status_code == 200
    assert form_errors(response)["rules"] == ["rule 1 lacks signal, above, slot"]
    assert RoutingPolicy.objects.get().rules == []
    assert not CatalogChange.objects.exists()


def test_it_saves_an_applicable_policy_with_its_audit_row(admin_client, policy):
    url = f"{POLICY_URL}1/change/"
    rules = '[{"stage": "*", "signal": "prompt_tokens", "above": 1500, "slot": "accurate"}]'

    response = admin_client.post(url, form_data(admin_client, url, rules=rules, reason="long prompts to accurate"))

    assert response.status_code == 302
    assert RoutingPolicy.objects.get().rules[0]["slot"] == "accurate"
    assert CatalogChange.objects.get().after == {"rules": [{"stage": "*", "signal": "prompt_tokens", "above": 1500,
                                                            "slot": "accurate"}]}


def test_it_refuses_disabling_a_serving_model_as_a_form_error(admin_client, served, rules_a):
    url = f"{MODEL_URL}{rules_a.pk}/change/"

    response = admin_client.post(url, form_data(admin_client, url, status="disabled", reason="retire"))

    assert response.status_code == 200
    assert "switch the slot to another model first" in form_errors(response)["status"][0]
    assert AIModel.objects.get(pk=rules_a.pk).status == "enabled"
    assert not CatalogChange.objects.exists()


def test_it_adds_and_deletes_a_tier_with_audit_rows(admin_client, served):
    response = admin_client.post(f"{TIER_URL}add/", {"name": "cost", "description": "",
                                                     "assignments": '{"fast": "builtin/rules"}', "reason": "cheap"})
    assert response.status_code == 302
    tier = Tier.objects.get()

    admin_client.post(f"{TIER_URL}{tier.pk}/delete/", {"post": "yes"})

    assert not Tier.objects.exists()
    assert list(CatalogChange.objects.order_by("id").values_list("kind", "object_label")) == [("create", "cost"),
                                                                                            ("delete", "cost")]


def test_it_refuses_a_tier_naming_an_unknown_model(admin_client, served):
    response = admin_client.post(f"{TIER_URL}add/", {"name": "cost", "description": "",
                                                     "assignments": '{"fast": "nope/model"}', "reason": "cheap"})

    assert response.status_code == 200
    assert "not in the catalog" in form_errors(response)["assignments"][0]
    assert not Tier.objects.exists()
    assert not CatalogChange.objects.exists()


@pytest.mark.parametrize("url", ["/admin/evaluation/livefigurebucket/", "/admin/evaluation/ratingcollectionmark/",
                                 "/admin/evaluation/catalogchange/", "/admin/evaluation/slotchange/"])
def test_rows_written_by_schedules_and_actions_are_read_only(admin_client, url):
    """The rolled-up live figures, the collection mark and both audit logs are listed for the
    operator, but only the schedules and the actions write them."""
    listing = admin_client.get(url)
    assert listing.status_code == 200
    assert not listing.context["has_add_permission"]
    assert admin_client.get(url + "add/").status_code == 403
