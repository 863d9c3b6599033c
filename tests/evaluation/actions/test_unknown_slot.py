import pytest

from evaluation.models import ModelProbe, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
def test_it_refuses_a_slot_that_does_not_exist(slots, rules_b, operator):
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        switch_slot("turbo", rules_b, acting_user=operator, reason="new slot?")

    assert not Slot.objects.filter(name="turbo").exists()
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()  # refused before any live call
