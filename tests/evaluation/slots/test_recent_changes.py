"""The switchboard's audit trail lists every kind of change (slot switches and catalog edits),
newest first, and offers a rollback for each that can be undone."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evaluation.catalog.actions import edit_model
from evaluation.catalog.routes import policy
from evaluation.models import AIModel, CatalogChange, Slot, SlotChange
from evaluation.slots.actions import switch_slot
from evaluation.slots.changes import RECENT_ROWS
from evaluation.slots.routing import edit_policy

pytestmark = pytest.mark.django_db

BOARD_URL = "/admin/switchboard/"


def staff_client(user) -> Client:
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def operator_client(operator) -> Client:
    return staff_client(operator)


@pytest.fixture
def history(operator, slots, rules_a, rules_b) -> tuple[SlotChange, CatalogChange]:
    """A switch of fast to test/rules-b, then an edit of test/rules-a's display name."""
    switch = switch_slot("fast", rules_b, acting_user=operator, reason="try b")
    edit = edit_model(rules_a, {"display_name": "Rules A"}, acting_user=operator, reason="rename")
    return switch, edit


def rollback_url(source: str, change_id: int) -> str:
    return f"{BOARD_URL}changes/{source}/{change_id}/rollback/"


def test_it_lists_every_kind_newest_first(operator_client, history):
    switch, edit = history

    rows = operator_client.get(BOARD_URL).context["changes"]

    assert [(row.source, row.change) for row in rows] == [("catalog", edit), ("slot", switch)]
    assert rows[0].subject == "model test/rules-a"
    assert rows[0].summary == "display_name: test/rules-a → Rules A"
    assert [row.can_roll_back for row in rows] == [True, True]


def test_it_bounds_the_list(operator, operator_client, rules_b):
    for n in range(RECENT_ROWS + 5):
        edit_model(rules_b, {"display_name": f"name {n}"}, acting_user=operator, reason=f"edit {n}")

    rows = operator_client.get(BOARD_URL).context["changes"]

    assert len(rows) == RECENT_ROWS
    assert rows[0].change.after == {"display_name": f"name {RECENT_ROWS + 4}"}
    assert [row.can_roll_back for row in rows[:2]] == [True, False]  # an older edit was overwritten since


def test_it_rolls_back_a_catalog_edit(operator_client, operator, history, rules_a):
    _, edit = history

    response = operator_client.post(rollback_url("catalog", edit.pk), {"reason": "keep the key as name"})

    assert response.status_code == 302
    assert AIModel.objects.get(pk=rules_a.pk).display_name == "test/rules-a"
    rollback = CatalogChange.objects.first()
    assert (rollback.kind, rollback.after, rollback.acting_user, rollback.reason) == (
        "rollback", {"display_name": "test/rules-a"}, operator, "keep the key as name")


def test_it_rolls_back_a_slot_switch(operator_client, history, rules_a):
    switch, _ = history

    response = operator_client.post(rollback_url("slot", switch.pk), {"reason": "b is worse"})

    assert response.status_code == 302
    assert Slot.objects.get(name="fast").model == rules_a
    assert SlotChange.objects.first().kind == "rollback"


def test_it_needs_a_reason_and_the_permission(operator_client, staff, history, rules_a):
    _, edit = history

    without_reason = operator_client.post(rollback_url("catalog", edit.pk), {"reason": ""})
    forbidden = staff_client(staff).post(rollback_url("catalog", edit.pk), {"reason": "undo"})

    assert without_reason.status_code == 302
    assert forbidden.status_code == 403
    assert AIModel.objects.get(pk=rules_a.pk).display_name == "Rules A"
    assert CatalogChange.objects.count() == 1


def test_it_refuses_a_switch_that_is_not_the_latest(operator_client, operator, history, rules_model):
    first_switch, _ = history
    switch_slot("fast", rules_model, acting_user=operator, reason="back to rules")

    rows = operator_client.get(BOARD_URL).context["changes"]
    response = operator_client.post(rollback_url("slot", first_switch.pk), {"reason": "undo"}, follow=True)

    assert [row.can_roll_back for row in rows if row.source == "slot"] == [True, False]
    assert "only the latest switch of fast" in str(next(iter(response.context["messages"])))
    assert Slot.objects.get(name="fast").model == rules_model


def test_it_says_a_policy_rollback_in_json_and_refuses_to_roll_it_back_twice(operator_client, operator, slots,
                                                                               set_policy):
    set_policy(rules=[])
    edit = edit_policy(policy(), {"rules": [{"stage": "narrative", "signal": "eligible_plans", "above": 3, "slot": "accurate"}]},
                       acting_user=operator, reason="long lists to accurate")

    undone = operator_client.post(rollback_url("catalog", edit.pk), {"reason": "too slow"}, follow=True)
    again = operator_client.post(rollback_url("catalog", edit.pk), {"reason": "again"}, follow=True)

    [said] = [str(message) for message in undone.context["messages"]]
    prefix, suffix = "Routing policy rolled back: rules: ", " → []."
    assert said.startswith(prefix)
    assert said.endswith(suffix)
    assert json.loads(said[len(prefix):-len(suffix)]) == edit.after["rules"]  # JSON, in the order the database keeps
    assert [str(message) for message in again.context["messages"]] == [
        "Rollback refused: Routing policy: this change was rolled back already"]
    assert CatalogChange.objects.filter(kind="rollback").count() == 1
