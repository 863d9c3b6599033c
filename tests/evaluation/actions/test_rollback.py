import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import rollback_slot, switch_slot


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model_and_audits_it(slots, rules_a, rules_b, operator):
    switch_slot("fast", rules_b, acting_user=operator, reason="try b")

    change = rollback_slot("fast", acting_user=operator, reason="b is worse")

    assert Slot.objects.get(name="fast").model == rules_a
    assert change.kind == SlotChange.Kind.ROLLBACK
    assert (change.from_model, change.to_model, change.acting_user) == (rules_b, rules_a, operator)
    assert change.reason == "b is worse"
    assert SlotChange.objects.count() == 2
