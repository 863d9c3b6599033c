import pytest

from evaluation.models import AIModel, ModelProbe, Provider, Slot, SlotChange
from evaluation.slots.actions import SwitchRefused, switch_slot

SECRET_ENV = "TEST_SWITCH_MISSING_KEY"


@pytest.mark.django_db
def test_it_refuses_a_model_whose_provider_secret_is_not_set(slots, operator, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    provider = Provider.objects.create(name="hosted", kind=Provider.Kind.OPENAI_COMPATIBLE,
                                       base_url="https://llm.example.invalid/v1", secret_env=SECRET_ENV)
    model = AIModel.objects.create(key="hosted/chat", display_name="Hosted chat", provider=provider, provider_model="chat")

    with pytest.raises(SwitchRefused, match=SECRET_ENV) as refusal:
        switch_slot("fast", model, acting_user=operator, reason="try the hosted model")

    assert "not set" in str(refusal.value)
    assert Slot.objects.get(name="fast").model.key == "test/rules-a"
    assert not SlotChange.objects.exists()
    assert not ModelProbe.objects.exists()  # refused before any call was made
