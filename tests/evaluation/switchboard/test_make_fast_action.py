import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_asks_for_a_reason_then_makes_the_model_fast(operator_client, slots, challenger):
    selection = {"action": "make_fast", helpers.ACTION_CHECKBOX_NAME: [challenger.pk]}

    intermediate = operator_client.post(CHANGELIST_URL, selection)

    assert intermediate.status_code == 200
    assert 'name="reason"' in intermediate.content.decode()
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"

    done = operator_client.post(CHANGELIST_URL, {**selection, "post": "yes", "reason": "cheaper"})

    assert done.status_code == 302
    assert Slot.objects.get(name="fast").model == challenger
    change = SlotChange.objects.get()
    assert (change.to_model, change.reason, change.acting_user.username) == (challenger, "cheaper", "olivia")
