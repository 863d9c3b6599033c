import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL

SWITCH_URL = BOARD_URL + "slots/fast/switch/"


@pytest.mark.django_db
def test_it_previews_then_switches_and_audits(operator_client, slots, challenger):
    form = {"model": challenger.key, "reason": "faster on short prompts"}

    preview = operator_client.post(SWITCH_URL, form)

    assert preview.status_code == 200
    assert preview.context["before"].model.key == "builtin/rules"
    assert preview.context["after"].model.key == challenger.key
    assert "Confirm switch" in preview.content.decode()
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"

    confirmed = operator_client.post(SWITCH_URL, {**form, "confirm": "yes"})

    assert confirmed.status_code == 302
    assert confirmed.url == BOARD_URL
    assert Slot.objects.get(name="fast").model == challenger
    change = SlotChange.objects.get()
    assert change.acting_user.username == "olivia"
    assert change.reason == "faster on short prompts"
    assert (change.kind, change.from_model.key, change.to_model.key, change.forced) == ("switch", "builtin/rules",
                                                                                        challenger.key, False)
