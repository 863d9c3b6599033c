import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_resolves_an_alias_and_stores_the_canonical_key(async_client, operator_headers, rules_only_catalog,
                                                                spare_rules_model):
    response = await put_slot(async_client, "accurate", {"model": "rules-spare", "reason": "alias"}, operator_headers)

    assert response.status_code == 200
    assert response.json()["model"] == "builtin/rules-spare"
    assert (await Slot.objects.aget(name="accurate")).model_id == spare_rules_model.pk
    assert (await SlotChange.objects.aget()).to_model_id == spare_rules_model.pk
