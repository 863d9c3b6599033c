import pytest
from django.contrib.admin import helpers

from evaluation.models import Slot, SlotChange
from tests.evaluation.switchboard.conftest import messages_of

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_refuses_more_than_one_selected_model(operator_client, slots, challenger, rules_model):
    response = operator_client.post(CHANGELIST_URL, {"action": "make_fast", "post": "yes", "reason": "why not",
                                                     helpers.ACTION_CHECKBOX_NAME: [challenger.pk, rules_model.pk]},
                                    follow=True)

    assert "Select exactly one model to put in the fast slot." in messages_of(response)
    assert Slot.objects.get(name="fast").model == rules_model
    assert not SlotChange.objects.exists()
