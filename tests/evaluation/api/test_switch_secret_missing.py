import pytest

from evaluation.models import Slot, SlotChange
from tests.conftest import REMOTE_SECRET_ENV
from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_model_whose_secret_is_missing_naming_the_variable(async_client, operator_headers,
                                                                              rules_only_catalog, remote_model, monkeypatch):
    monkeypatch.delenv(REMOTE_SECRET_ENV)

    response = await put_slot(async_client, "fast", {"model": "remote/chat-mini", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    assert REMOTE_SECRET_ENV in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0
