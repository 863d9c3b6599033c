import pytest

from evaluation.models import AIModel, Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_disabled_model_with_409(async_client, operator_headers, rules_only_catalog, spare_rules_model):
    await AIModel.objects.filter(pk=spare_rules_model.pk).aupdate(status=AIModel.Status.DISABLED)

    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    problem = response.json()
    assert problem["title"] == "Switch refused"
    assert problem["detail"] == "builtin/rules-spare is disabled"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0
