"""Canaries: a challenger on a share of a slot's traffic, started, promoted or aborted."""

import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, abort_canary, promote_canary, start_canary


@pytest.mark.django_db
def test_it_promotes_the_challenger_and_clears_the_canary(slots, rules_a, rules_b, operator):
    start_canary("fast", rules_b, 20, acting_user=operator, reason="try b on a fifth")

    change = promote_canary("fast", acting_user=operator, reason="b is as good and cheaper")

    slot = Slot.objects.get(name="fast")
    assert slot.model == rules_b
    assert (slot.challenger, slot.challenger_share, slot.canary_started_at) == (None, 0, None)
    assert change.kind == SlotChange.Kind.CANARY_PROMOTE
    assert (change.from_model, change.to_model, change.acting_user) == (rules_a, rules_b, operator)
    assert change.reason == "b is as good and cheaper"


@pytest.mark.django_db
def test_it_aborts_a_canary_and_keeps_the_champion(slots, rules_a, rules_b, operator):
    start_canary("fast", rules_b, 20, acting_user=operator, reason="try b on a fifth")

    change = abort_canary("fast", acting_user=operator, reason="b is slower")

    slot = Slot.objects.get(name="fast")
    assert slot.model == rules_a
    assert (slot.challenger, slot.challenger_share, slot.canary_started_at) == (None, 0, None)
    assert change.kind == SlotChange.Kind.CANARY_ABORT
    assert (change.from_model, change.to_model, change.acting_user) == (rules_b, rules_a, operator)
    assert change.reason == "b is slower"


@pytest.mark.django_db
@pytest.mark.parametrize("share", [0, 100, -5])
def test_it_refuses_a_canary_share_outside_1_to_99_percent(slots, rules_b, operator, share):
    with pytest.raises(SwitchRefused, match="between 1 and 99"):
        start_canary("fast", rules_b, share, acting_user=operator, reason="canary")

    assert Slot.objects.get(name="fast").challenger is None
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("share", [1, 99])
def test_it_starts_a_canary_at_either_bound(slots, rules_a, rules_b, operator, share):
    change = start_canary("fast", rules_b, share, acting_user=operator, reason="canary")

    slot = Slot.objects.get(name="fast")
    assert (slot.model, slot.challenger, slot.challenger_share) == (rules_a, rules_b, share)
    assert slot.canary_started_at is not None
    assert (change.kind, change.from_model, change.to_model) == (SlotChange.Kind.CANARY_START, rules_a, rules_b)
    assert change.reason == f"{share}% canary: canary"


@pytest.mark.django_db
def test_it_refuses_canary_actions_on_a_slot_that_does_not_exist(slots, rules_b, operator):
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        start_canary("turbo", rules_b, 10, acting_user=operator, reason="try")
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        promote_canary("turbo", acting_user=operator, reason="try")
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        abort_canary("turbo", acting_user=operator, reason="try")
