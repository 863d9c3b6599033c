"""Switching a slot on the switchboard: the preview, then the audited switch; the refusals (no
reason, a failing live probe) and forcing past the probe; the rollback button; applying a tier."""

import pytest

from evaluation.models import Slot, SlotChange, Tier
from evaluation.slots.actions import switch_slot
from tests.evaluation.slots.switchboard import BOARD_URL, messages_of

SWITCH_URL = BOARD_URL + "slots/fast/switch/"


@pytest.mark.django_db
def test_it_previews_then_switches_and_audits(operator_client, rules_only_catalog, challenger):
    form = {"model": challenger.key, "reason": "faster on short prompts"}

    preview = operator_client.post(SWITCH_URL, form)

    assert preview.status_code == 200
    assert preview.context["before"].model.key == "builtin/rules"
    assert preview.context["after"].model.key == challenger.key
    assert "Confirm switch" in preview.content.decode()
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"

    confirmed = operator_client.post(SWITCH_URL, {**form, "confirm": "yes"})

    assert confirmed.status_code == 302
    assert confirmed.url == BOARD_URL
    assert Slot.objects.get(name="fast").model == challenger
    change = SlotChange.objects.get()
    assert change.acting_user.username == "olivia"
    assert change.reason == "faster on short prompts"
    assert (change.kind, change.from_model.key, change.to_model.key, change.forced) == ("switch", "builtin/rules",
                                                                                        challenger.key, False)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_switch_without_a_reason(operator_client, rules_only_catalog, challenger, reason):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/", {"model": challenger.key, "reason": reason,
                                                                       "confirm": "yes"}, follow=True)

    assert response.status_code == 200
    assert any("reason" in message and "required" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_shows_why_a_switch_was_refused(operator_client, rules_only_catalog, unreachable_model):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/",
                                    {"model": unreachable_model.key, "reason": "try it", "confirm": "yes"}, follow=True)

    assert any(message.startswith("Switch refused: down/chat failed its live probe") for message in messages_of(response))
    assert "failed" in response.content.decode()  # the board now shows the failed probe
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_switches_to_a_failing_model_when_forced(operator_client, rules_only_catalog, unreachable_model):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/", {
        "model": unreachable_model.key, "reason": "the server is back in a minute", "force": "on", "confirm": "yes",
    })

    assert response.status_code == 302
    assert Slot.objects.get(name="fast").model == unreachable_model
    assert SlotChange.objects.get().forced


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model(operator_client, rules_only_catalog, challenger, rules_model):
    switch_slot("fast", challenger, acting_user=None, reason="try the challenger")

    board = operator_client.get(BOARD_URL)
    assert "Roll back to builtin/rules" in board.content.decode()

    response = operator_client.post(BOARD_URL + "slots/fast/rollback/", {"reason": "rollback"})

    assert response.status_code == 302
    assert Slot.objects.get(name="fast").model == rules_model
    change = SlotChange.objects.first()
    assert (change.kind, change.from_model, change.to_model, change.reason) == ("rollback", challenger, rules_model,
                                                                                "rollback")
    assert change.acting_user.username == "olivia"


@pytest.mark.django_db
def test_it_applies_a_tier_to_every_slot(operator_client, rules_only_catalog, challenger):
    tier = Tier.objects.create(name="cost", assignments={"fast": challenger.key, "accurate": challenger.key})
    assert "Apply cost" in operator_client.get(BOARD_URL).content.decode()

    response = operator_client.post(BOARD_URL + f"tiers/{tier.pk}/apply/", {"reason": "month-end budget"})

    assert response.status_code == 302
    assert set(Slot.objects.values_list("model__key", flat=True)) == {challenger.key}
    assert sorted(SlotChange.objects.values_list("slot__name", "kind", "reason")) == [
        ("accurate", "tier", "tier cost: month-end budget"),
        ("fast", "tier", "tier cost: month-end budget"),
    ]
