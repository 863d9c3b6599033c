"""Switching a slot, and rolling it back (evaluation.slots.actions): who, when, from what to what
and why; and every refusal, which changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from energy.models import LLMCall
from evaluation.models import AIModel, ModelProbe, Provider, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, rollback_slot, switch_slot


@pytest.mark.django_db
def test_it_records_who_switched_when_from_what_to_what_and_why(slots, rules_a, rules_b, operator):
    before = timezone.now()

    change = switch_slot(slots["fast"], rules_b, acting_user=operator, reason="  b is cheaper  ")

    assert Slot.objects.get(name="fast").model == rules_b
    row = SlotChange.objects.get()
    assert row == change
    assert row.slot == slots["fast"]
    assert row.acting_user == operator
    assert (row.from_model, row.to_model) == (rules_a, rules_b)
    assert row.reason == "b is cheaper"
    assert row.kind == SlotChange.Kind.SWITCH
    assert row.forced is False
    assert before <= row.created_at <= timezone.now() + timedelta(seconds=1)


@pytest.mark.django_db
def test_it_refuses_to_switch_a_slot_to_the_model_it_already_uses(slots, rules_a, operator):
    with pytest.raises(SwitchRefused, match="fast already uses test/rules-a"):
        switch_slot("fast", rules_a, acting_user=operator, reason="again")

    assert not SlotChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_switch_without_a_reason(slots, rules_b, operator, reason):
    with pytest.raises(SwitchRefused, match="reason is required"):
        switch_slot("fast", rules_b, acting_user=operator, reason=reason)

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_slot_that_does_not_exist(slots, rules_b, operator):
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        switch_slot("turbo", rules_b, acting_user=operator, reason="new slot?")

    assert not Slot.objects.filter(name="turbo").exists()
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()  # refused before any live call


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_switch_permission(slots, rules_b, staff):
    with pytest.raises(PermissionDenied, match=r"evaluation\.switch_slot"):
        switch_slot("fast", rules_b, acting_user=staff, reason="staff tries")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_disabled_model(slots, rules_b, operator):
    rules_b.status = AIModel.Status.DISABLED
    rules_b.save()

    with pytest.raises(SwitchRefused, match="test/rules-b is disabled"):
        switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_retired_model(slots, rules_b, operator):
    rules_b.status = AIModel.Status.RETIRED
    rules_b.save()

    with pytest.raises(SwitchRefused, match="test/rules-b is retired"):
        switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_model_whose_provider_is_disabled(slots, operator):
    provider = Provider.objects.create(name="paused", kind=Provider.Kind.RULES, enabled=False)
    model = AIModel.objects.create(key="paused/rules", display_name="Paused", provider=provider, provider_model="rules",
                                   prompt_style=AIModel.PromptStyle.RULES)

    with pytest.raises(SwitchRefused, match="provider paused of paused/rules is disabled"):
        switch_slot("fast", model, acting_user=operator, reason="try the paused provider")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()


SECRET_ENV = "PROVIDER_KEY_TEST_SWITCH_MISSING"


@pytest.mark.django_db
def test_it_refuses_a_model_whose_provider_secret_is_not_set(slots, operator, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    provider = Provider.objects.create(name="hosted", kind=Provider.Kind.OPENAI_COMPATIBLE,
                                       base_url="https://llm.example.invalid/v1", secret_env=SECRET_ENV)
    model = AIModel.objects.create(key="hosted/chat", display_name="Hosted chat", provider=provider, provider_model="chat")

    with pytest.raises(SwitchRefused, match=SECRET_ENV) as refusal:
        switch_slot("fast", model, acting_user=operator, reason="try the hosted model")

    assert "not set" in str(refusal.value)
    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()  # refused before any call was made


@pytest.mark.django_db
def test_it_refuses_a_model_that_fails_its_live_probe(slots, unreachable_model, operator):
    with pytest.raises(SwitchRefused, match="down/chat failed its live probe") as refusal:
        switch_slot("fast", unreachable_model, acting_user=operator, reason="try the down model")

    assert "force" in str(refusal.value)
    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    probe = ModelProbe.objects.get()
    assert (probe.model, probe.slot_name, probe.ok) == (unreachable_model, "fast", False)
    assert probe.error.startswith("connection_error")
    call = LLMCall.objects.get()
    assert (call.model_key, call.stage, call.status) == ("down/chat", "probe", LLMCall.Status.FAILED)
    assert call.context == "probe:fast"


@pytest.mark.django_db
def test_it_switches_to_a_model_failing_its_probe_when_forced(slots, unreachable_model, operator):
    change = switch_slot("fast", unreachable_model, acting_user=operator, reason="provider status page says it is up",
                         force=True)

    assert Slot.objects.get(name="fast").model == unreachable_model
    assert change.forced is True
    assert SlotChange.objects.get() == change
    assert not ModelProbe.objects.exists()  # force skips the probe rather than ignoring its result


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model_and_audits_it(slots, rules_a, rules_b, operator):
    switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    change = rollback_slot("fast", acting_user=operator, reason="b is worse")

    assert Slot.objects.get(name="fast").model == rules_a
    assert change.kind == SlotChange.Kind.ROLLBACK
    assert (change.from_model, change.to_model, change.acting_user) == (rules_b, rules_a, operator)
    assert change.reason == "b is worse"
    assert SlotChange.objects.count() == 2


@pytest.mark.django_db
def test_it_toggles_back_when_rolled_back_twice_in_a_row(slots, rules_a, rules_b, operator):
    switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    rollback_slot("fast", acting_user=operator)
    assert Slot.objects.get(name="fast").model == rules_a
    second = rollback_slot("fast", acting_user=operator)

    assert Slot.objects.get(name="fast").model == rules_b
    assert (second.kind, second.from_model, second.to_model) == (SlotChange.Kind.ROLLBACK, rules_a, rules_b)
    assert second.reason.startswith("rollback of the switch at ")
