import pytest

from evaluation.models import Slot
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_answers_401_without_a_key(async_client, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, {})

    assert response.status_code == 401
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
