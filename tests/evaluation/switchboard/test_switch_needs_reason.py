import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL, messages_of


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_a_switch_without_a_reason(operator_client, slots, challenger, reason):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/", {"model": challenger.key, "reason": reason,
                                                                       "confirm": "yes"}, follow=True)

    assert response.status_code == 200
    assert any("reason" in message and "required" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
