import pytest

from evaluation.models import ModelProbe, Slot, SlotChange, Tier
from evaluation.slots.actions import SwitchRefused, apply_tier


@pytest.mark.django_db
def test_it_refuses_a_tier_without_a_reason_and_probes_nothing(slots, rules_b, operator):
    tier = Tier.objects.create(name="t", assignments={"fast": "test/rules-b"})

    with pytest.raises(SwitchRefused, match="reason is required"):
        apply_tier(tier, acting_user=operator, reason="  ")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not ModelProbe.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_tier_naming_a_model_outside_the_catalog(slots, operator):
    tier = Tier.objects.create(name="t", assignments={"fast": "nowhere/model"})

    with pytest.raises(SwitchRefused, match="nowhere/model, which is not in the catalog"):
        apply_tier(tier, acting_user=operator, reason="try")

    assert not SlotChange.objects.exists()
