import pytest

from evaluation.models import Slot
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_naming_the_unknown_model(async_client, operator_headers, rules_only_catalog):
    response = await put_slot(async_client, "fast", {"model": "nobody/gpt-9", "reason": "try"}, operator_headers)

    assert response.status_code == 404
    problem = response.json()
    assert problem["title"] == "Unknown model"
    assert "nobody/gpt-9" in problem["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
