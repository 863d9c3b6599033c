import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL, messages_of


@pytest.mark.django_db
def test_it_shows_why_a_switch_was_refused(operator_client, slots, unreachable_model):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/",
                                    {"model": unreachable_model.key, "reason": "try it", "confirm": "yes"}, follow=True)

    assert any(message.startswith("Switch refused: down/chat failed its live probe") for message in messages_of(response))
    assert "failed" in response.content.decode()  # the board now shows the failed probe
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
