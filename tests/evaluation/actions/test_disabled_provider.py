import pytest

from evaluation.models import AIModel, Provider, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot


@pytest.mark.django_db
def test_it_refuses_a_model_whose_provider_is_disabled(slots, operator):
    provider = Provider.objects.create(name="paused", kind=Provider.Kind.RULES, enabled=False)
    model = AIModel.objects.create(key="paused/rules", display_name="Paused", provider=provider, provider_model="rules",
                                   prompt_style=AIModel.PromptStyle.RULES)

    with pytest.raises(SwitchRefused, match="provider paused of paused/rules is disabled"):
        switch_slot("fast", model, acting_user=operator, reason="try the paused provider")

    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
