import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import switch_slot
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model(operator_client, slots, challenger, rules_model):
    switch_slot("fast", challenger, acting_user=None, reason="try the challenger")

    board = operator_client.get(BOARD_URL)
    assert "Roll back to builtin/rules" in board.content.decode()

    response = operator_client.post(BOARD_URL + "slots/fast/rollback/", {"reason": "rollback"})

    assert response.status_code == 302
    assert Slot.objects.get(name="fast").model == rules_model
    change = SlotChange.objects.first()
    assert (change.kind, change.from_model, change.to_model, change.reason) == ("rollback", challenger, rules_model,
                                                                                "rollback")
    assert change.acting_user.username == "olivia"
