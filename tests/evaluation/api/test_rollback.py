import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.api.slot_requests import post_rollback, put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_rolls_the_slot_back_to_its_previous_model(async_client, operator_headers, operator, rules_only_catalog,
                                                           spare_rules_model):
    await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try the spare"}, operator_headers)

    response = await post_rollback(async_client, "fast", {"reason": "the spare is worse"}, operator_headers)

    assert response.status_code == 200
    assert response.json()["model"] == "builtin/rules"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    rollback = await SlotChange.objects.select_related("from_model", "to_model").afirst()
    assert (rollback.kind, rollback.from_model.key, rollback.to_model.key) == ("rollback", "builtin/rules-spare", "builtin/rules")
    assert (rollback.acting_user_id, rollback.reason) == (operator.pk, "the spare is worse")
