import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import promote_canary, start_canary


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
