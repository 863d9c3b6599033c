import pytest

from evaluation.models import ModelProbe, Slot, SlotChange
from evaluation.slots.actions import switch_slot


@pytest.mark.django_db
def test_it_switches_to_a_model_failing_its_probe_when_forced(slots, unreachable_model, operator):
    change = switch_slot("fast", unreachable_model, acting_user=operator, reason="provider status page says it is up",
                         force=True)

    assert Slot.objects.get(name="fast").model == unreachable_model
    assert change.forced is True
    assert SlotChange.objects.get() == change
    assert not ModelProbe.objects.exists()  # force skips the probe rather than ignoring its result
