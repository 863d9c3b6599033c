import pytest

from evaluation.models import ModelProbe, Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_model_that_fails_its_live_probe(async_client, operator_headers, rules_only_catalog,
                                                            unreachable_model):
    response = await put_slot(async_client, "fast", {"model": "down/chat", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    assert "down/chat failed its live probe" in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0
    assert not (await ModelProbe.objects.aget(model=unreachable_model)).ok
