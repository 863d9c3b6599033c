from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import Slot, SlotChange
from evaluation.slots.actions import switch_slot


@pytest.mark.django_db
def test_it_records_who_switched_when_from_what_to_what_and_why(slots, rules_a, rules_b, operator):
    before = timezone.now()

    change = switch_slot(slots["fast"], rules_b, acting_user=operator, reason="  b is cheaper  ")

    assert Slot.objects.get(name="fast").model == rules_b
    row = SlotChange.objects.get()
    assert row == change
    assert row.slot == slots["fast"]
    assert row.acting_user == operator
    assert (row.from_model, row.to_model) == (rules_a, rules_b)
    assert row.reason == "b is cheaper"
    assert row.kind == SlotChange.Kind.SWITCH
    assert row.forced is False
    assert before <= row.created_at <= timezone.now() + timedelta(seconds=1)
