import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import BOARD_URL


@pytest.mark.django_db
def test_it_starts_a_canary_shows_both_arms_and_promotes_it(operator_client, slots, challenger):
    started = operator_client.post(BOARD_URL + "slots/fast/canary/start/",
                                   {"challenger": challenger.key, "share": "25", "reason": "A/B the challenger"})

    assert started.status_code == 302
    slot = Slot.objects.get(name="fast")
    assert (slot.challenger, slot.challenger_share) == (challenger, 25)
    html = operator_client.get(BOARD_URL).content.decode()
    assert "25 % of live traffic goes to" in html
    assert "Promote builtin/rules-challenger" in html
    assert ">champion<" in html
    assert ">challenger<" in html

    promoted = operator_client.post(BOARD_URL + "slots/fast/canary/promote/", {"reason": "it wins"})

    assert promoted.status_code == 302
    slot.refresh_from_db()
    assert (slot.model, slot.challenger, slot.challenger_share) == (challenger, None, 0)
    assert list(SlotChange.objects.values_list("kind", flat=True)) == ["canary_promote", "canary_start"]
