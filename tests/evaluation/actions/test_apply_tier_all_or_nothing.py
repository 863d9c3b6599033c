import pytest

from evaluation.models import AIModel, Slot, SlotChange, Tier
from evaluation.slots.actions import SwitchRefused, apply_tier


@pytest.mark.django_db
def test_it_changes_no_slot_when_one_assignment_of_a_tier_is_refused(slots, rules_a, rules_b, operator):
    # fast (a good switch) comes first, so it has been made by the time accurate is refused.
    tier = Tier.objects.create(name="half-bad", assignments={"fast": "test/rules-b", "accurate": "test/rules-a"})
    AIModel.objects.filter(pk=rules_a.pk).update(status=AIModel.Status.DISABLED)

    with pytest.raises(SwitchRefused, match="test/rules-a is disabled"):
        apply_tier(tier, acting_user=operator, reason="cost review")

    assert dict(Slot.objects.values_list("name", "model__key")) == {"fast": "test/rules-a", "accurate": "builtin/rules"}
    assert not SlotChange.objects.exists()
