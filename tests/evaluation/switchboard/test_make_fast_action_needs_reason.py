import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_shows_the_page_again_when_the_reason_is_missing(operator_client, slots, challenger):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_accurate", "post": "yes", "reason": "",
                                                     helpers.ACTION_CHECKBOX_NAME: [challenger.pk]})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Slot.objects.get(name="accurate").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
