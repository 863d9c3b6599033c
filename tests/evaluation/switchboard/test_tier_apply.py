import pytest

from evaluation.models import Slot, SlotChange, Tier
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_applies_a_tier_to_every_slot(operator_client, slots, challenger):
    tier = Tier.objects.create(name="cost", assignments={"fast": challenger.key, "accurate": challenger.key})
    assert "Apply cost" in operator_client.get(BOARD_URL).content.decode()

    response = operator_client.post(BOARD_URL + f"tiers/{tier.pk}/apply/", {"reason": "month-end budget"})

    assert response.status_code == 302
    assert set(Slot.objects.values_list("model__key", flat=True)) == {challenger.key}
    assert sorted(SlotChange.objects.values_list("slot__name", "kind", "reason")) == [
        ("accurate", "tier", "tier cost: month-end budget"),
        ("fast", "tier", "tier cost: month-end budget"),
    ]
