import pytest

from evaluation.models import Slot
from evaluation.slots.actions import switch_slot
from tests.evaluation.api.slot_requests import post_rollback


@pytest.fixture
def switched_slot(rules_only_catalog, spare_rules_model) -> Slot:
    switch_slot("fast", spare_rules_model, acting_user=None, reason="try the spare")
    return Slot.objects.get(name="fast")


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_product_staff_and_keeps_the_model(async_client, staff_headers, switched_slot):
    response = await post_rollback(async_client, "fast", {"reason": "undo"}, staff_headers)

    assert response.status_code == 403
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules-spare"
