import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_switches_to_a_failing_model_when_forced(operator_client, slots, unreachable_model):
    response = operator_client.post(BOARD_URL + "slots/fast/switch/", {
        "model": unreachable_model.key, "reason": "the server is back in a minute", "force": "on", "confirm": "yes",
    })

    assert response.status_code == 302
    assert Slot.objects.get(name="fast").model == unreachable_model
    assert SlotChange.objects.get().forced
