import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_switches_the_slot_and_audits_who_and_why(async_client, operator_headers, operator, rules_only_catalog,
                                                          spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "  cheaper at night "},
                              operator_headers)

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "fast"
    assert body["model"] == "builtin/rules-spare"
    assert body["last_change"]["acting_user"] == "operator"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules-spare"
    change = await SlotChange.objects.select_related("from_model", "to_model", "acting_user").aget()
    assert (change.kind, change.from_model.key, change.to_model.key) == ("switch", "builtin/rules", "builtin/rules-spare")
    assert change.acting_user == operator
    assert change.reason == "cheaper at night"
    assert not change.forced
