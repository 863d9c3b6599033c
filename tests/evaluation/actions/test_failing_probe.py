import pytest

from energy.models import LLMCall
from evaluation.models import ModelProbe, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
def test_it_refuses_a_model_that_fails_its_live_probe(slots, unreachable_model, operator):
    with pytest.raises(SwitchRefused, match="down/chat failed its live probe") as refusal:
        switch_slot("fast", unreachable_model, acting_user=operator, reason="try the down model")

    assert "force" in str(refusal.value)
    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    probe = ModelProbe.objects.get()
    assert (probe.model, probe.slot_name, probe.ok) == (unreachable_model, "fast", False)
    assert probe.error.startswith("connection_error")
    call = LLMCall.objects.get()
    assert (call.model_key, call.stage, call.status) == ("down/chat", "probe", LLMCall.Status.FAILED)
    assert call.context == "probe:fast"
