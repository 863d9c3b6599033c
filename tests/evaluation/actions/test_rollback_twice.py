import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import rollback_slot, switch_slot


@pytest.mark.django_db
def test_it_toggles_back_when_rolled_back_twice_in_a_row(slots, rules_a, rules_b, operator):
    switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    rollback_slot("fast", acting_user=operator)
    assert Slot.objects.get(name="fast").model == rules_a
    second = rollback_slot("fast", acting_user=operator)

    assert Slot.objects.get(name="fast").model == rules_b
    assert (second.kind, second.from_model, second.to_model) == (SlotChange.Kind.ROLLBACK, rules_a, rules_b)
    assert second.reason.startswith("rollback of the switch at ")
