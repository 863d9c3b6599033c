"""A canary on the switchboard: starting it (the share must be 1–99 %), both arms on the board,
promoting the challenger, aborting it."""

import pytest

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import start_canary
from tests.evaluation.slots.switchboard import BOARD_URL, messages_of


@pytest.mark.django_db
def test_it_starts_a_canary_shows_both_arms_and_promotes_it(operator_client, rules_only_catalog, challenger):
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


@pytest.mark.django_db
@pytest.mark.parametrize("share", ["0", "100", "x"])
def test_it_refuses_a_share_outside_1_to_99(operator_client, rules_only_catalog, challenger, share):
    response = operator_client.post(BOARD_URL + "slots/fast/canary/start/",
                                    {"challenger": challenger.key, "share": share, "reason": "A/B"}, follow=True)

    assert any(message.startswith("Nothing changed") and "share" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").challenger is None
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_aborts_a_running_canary(operator_client, rules_only_catalog, challenger, rules_model):
    start_canary("accurate", challenger, 10, acting_user=None, reason="A/B")

    response = operator_client.post(BOARD_URL + "slots/accurate/canary/abort/", {"reason": "too slow"})

    assert response.status_code == 302
    slot = Slot.objects.get(name="accurate")
    assert (slot.model, slot.challenger, slot.challenger_share, slot.canary_started_at) == (rules_model, None, 0, None)
    change = SlotChange.objects.first()
    assert (change.kind, change.reason, change.acting_user.username) == ("canary_abort", "too slow", "olivia")
