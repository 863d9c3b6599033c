"""The model catalog's "make fast" / "make accurate" admin actions: a reason first, then the
audited switch; refused for more than one model, a failing probe, a missing reason, and product
staff."""

import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange
from tests.evaluation.slots.switchboard import messages_of

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_asks_for_a_reason_then_makes_the_model_fast(operator_client, rules_only_catalog, challenger):
    selection = {"action": "make_fast", helpers.ACTION_CHECKBOX_NAME: [challenger.pk]}

    intermediate = operator_client.post(CHANGELIST_URL, selection)

    assert intermediate.status_code == 200
    assert 'name="reason"' in intermediate.content.decode()
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"

    done = operator_client.post(CHANGELIST_URL, {**selection, "post": "yes", "reason": "cheaper"})

    assert done.status_code == 302
    assert Slot.objects.get(name="fast").model == challenger
    change = SlotChange.objects.get()
    assert (change.to_model, change.reason, change.acting_user.username) == (challenger, "cheaper", "olivia")


@pytest.mark.django_db
def test_it_offers_no_switch_action_to_product_staff(staff_client, rules_only_catalog, challenger):
    changelist = staff_client.get(CHANGELIST_URL)

    assert changelist.status_code == 403  # raters do not open the catalog's models (docs/security.md)

    staff_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "sneaky",
                                       helpers.ACTION_CHECKBOX_NAME: [challenger.pk]})

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_shows_the_page_again_when_the_reason_is_missing(operator_client, rules_only_catalog, challenger):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_accurate", "post": "yes", "reason": "",
                                                     helpers.ACTION_CHECKBOX_NAME: [challenger.pk]})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Slot.objects.get(name="accurate").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_refuses_more_than_one_selected_model(operator_client, rules_only_catalog, challenger, rules_model):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "why not",
                                                     helpers.ACTION_CHECKBOX_NAME: [challenger.pk, rules_model.pk]},
                                    follow=True)

    assert "Select exactly one model to put in the fast slot." in messages_of(response)
    assert Slot.objects.get(name="fast").model == rules_model
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_reports_a_refused_switch_as_an_error(operator_client, rules_only_catalog, unreachable_model):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "try it",
                                                     helpers.ACTION_CHECKBOX_NAME: [unreachable_model.pk]}, follow=True)

    assert any("failed its live probe" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
