import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import abort_canary, start_canary


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
