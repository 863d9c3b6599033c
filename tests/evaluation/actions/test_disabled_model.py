import pytest

from evaluation.models import AIModel, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
def test_it_refuses_a_disabled_model(slots, rules_b, operator):
    rules_b.status = AIModel.Status.DISABLED
    rules_b.save()

    with pytest.raises(SwitchRefused, match="test/rules-b is disabled"):
        switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
