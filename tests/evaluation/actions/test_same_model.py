import pytest

from evaluation.models import SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
def test_it_refuses_to_switch_a_slot_to_the_model_it_already_uses(slots, rules_a, operator):
    with pytest.raises(SwitchRefused, match="fast already uses test/rules-a"):
        switch_slot("fast", rules_a, acting_user=operator, reason="again")

    assert not SlotChange.objects.exists()
