import pytest
from django.core.exceptions import PermissionDenied

from evaluation.models import ModelProbe, Slot, SlotChange
from evaluation.slots.actions import switch_slot


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_switch_permission(slots, rules_b, staff):
    with pytest.raises(PermissionDenied, match=r"evaluation\.switch_slot"):
        switch_slot("fast", rules_b, acting_user=staff, reason="staff tries")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()
