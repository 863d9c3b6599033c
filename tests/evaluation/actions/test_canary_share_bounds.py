import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, start_canary


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
