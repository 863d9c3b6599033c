import pytest

from evaluation.models import Slot, SlotChange, Tier
from evaluation.slots.actions import apply_tier


@pytest.mark.django_db
def test_it_sets_every_slot_of_a_tier(slots, rules_a, rules_b, operator):
    tier = Tier.objects.create(name="swap", assignments={"fast": "test/rules-b", "accurate": "test/rules-a"})

    changes = apply_tier(tier, acting_user=operator, reason="cost review")

    assert dict(Slot.objects.values_list("name", "model__key")) == {"fast": "test/rules-b", "accurate": "test/rules-a"}
    assert len(changes) == 2
    assert {c.kind for c in changes} == {SlotChange.Kind.TIER}
    assert {c.reason for c in changes} == {"tier swap: cost review"}
