import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_offers_no_switch_action_to_product_staff(staff_client, slots, challenger):
    changelist = staff_client.get(CHANGELIST_URL)

    assert changelist.status_code == 200
    assert "make_fast" not in changelist.content.decode()
    assert "make_accurate" not in changelist.content.decode()

    staff_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "sneaky",
                                       helpers.ACTION_CHECKBOX_NAME: [challenger.pk]})

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
