"""Tiers: one named assignment of a model to every slot, applied all or nothing."""

import pytest

from evaluation.models import AIModel, ModelProbe, Slot, SlotChange, Tier
from evaluation.slots.actions import SwitchRefused, apply_tier


@pytest.mark.django_db
def test_it_sets_every_slot_of_a_tier(slots, rules_a, rules_b, operator):
    tier = Tier.objects.create(name="swap", assignments={"fast": "test/rules-b", "accurate": "test/rules-a"})

    changes = apply_tier(tier, acting_user=operator, reason="cost review")

    assert dict(Slot.objects.values_list("name", "model__key")) == {"fast": "test/rules-b", "accurate": "test/rules-a"}
    assert len(changes) == 2
    assert {c.kind for c in changes} == {SlotChange.Kind.TIER}
    assert {c.reason for c in changes} == {"tier swap: cost review"}


@pytest.mark.django_db
def test_it_changes_no_slot_when_one_assignment_of_a_tier_is_refused(slots, rules_a, rules_b, operator):
    # fast (a good switch) comes first, so it has been made by the time accurate is refused.
    tier = Tier.objects.create(name="half-bad", assignments={"fast": "test/rules-b", "accurate": "test/rules-a"})
    AIModel.objects.filter(pk=rules_a.pk).update(status=AIModel.Status.DISABLED)

    with pytest.raises(SwitchRefused, match="test/rules-a is disabled"):
        apply_tier(tier, acting_user=operator, reason="cost review")

    assert dict(Slot.objects.values_list("name", "model__key")) == {"fast": "test/rules-a", "accurate": "builtin/rules"}
    assert not SlotChange.objects.exists()


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
