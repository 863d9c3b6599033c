import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import messages_of

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_reports_a_refused_switch_as_an_error(operator_client, slots, unreachable_model):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "try it",
                                                     helpers.ACTION_CHECKBOX_NAME: [unreachable_model.pk]}, follow=True)

    assert any("failed its live probe" in message for message in messages_of(response))
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
