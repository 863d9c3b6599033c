import pytest

from evaluation.models import Slot
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_to_a_blank_reason(async_client, operator_headers, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "   "}, operator_headers)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
