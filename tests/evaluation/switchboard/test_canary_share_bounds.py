import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL, messages_of


@pytest.mark.django_db
@pytest.mark.parametrize("share", ["0", "100", "x"])
def test_it_refuses_a_share_outside_1_to_99(operator_client, slots, challenger, share):
    response = operator_client.post(BOARD_URL + "slots/fast/canary/start/",
                                    {"challenger": challenger.key, "share": share, "reason": "A/B"}, follow=True)

    assert any(message.startswith("Nothing changed") and "share" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").challenger is None
    assert not SlotChange.objects.exists()
