import pytest

from evaluation.models import ModelProbe, Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_overrides_a_failing_probe_with_force_and_says_so_in_the_audit(async_client, operator_headers,
                                                                                rules_only_catalog, unreachable_model):
    body = {"model": "down/chat", "reason": "server is being restarted; switch now", "force": True}

    response = await put_slot(async_client, "fast", body, operator_headers)

    assert response.status_code == 200
    assert response.json()["last_change"]["forced"] is True
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "down/chat"
    assert (await SlotChange.objects.aget()).forced
    assert await ModelProbe.objects.acount() == 0
