import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_switch_without_a_reason(slots, rules_b, operator, reason):
    with pytest.raises(SwitchRefused, match="reason is required"):
        switch_slot("fast", rules_b, acting_user=operator, reason=reason)

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
