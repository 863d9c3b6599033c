import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import start_canary
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_aborts_a_running_canary(operator_client, slots, challenger, rules_model):
    start_canary("accurate", challenger, 10, acting_user=None, reason="A/B")

    response = operator_client.post(BOARD_URL + "slots/accurate/canary/abort/", {"reason": "too slow"})

    assert response.status_code == 302
    slot = Slot.objects.get(name="accurate")
    assert (slot.model, slot.challenger, slot.challenger_share, slot.canary_started_at) == (rules_model, None, 0, None)
    change = SlotChange.objects.first()
    assert (change.kind, change.reason, change.acting_user.username) == ("canary_abort", "too slow", "olivia")
