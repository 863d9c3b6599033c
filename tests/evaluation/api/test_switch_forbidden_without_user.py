import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_a_key_that_acts_for_no_user(async_client, auth_headers, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, auth_headers)

    assert response.status_code == 403
    assert "does not act for a user" in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0
