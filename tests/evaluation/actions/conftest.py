"""The write path's cast: two healthy rules-kind models to switch between, one that fails its
live probe, and both slots. The users (`operator`, `staff`) come from tests/conftest.py."""

import pytest

from evaluation.models import AIModel, Provider, Slot

# Nothing listens on the discard port of the loopback interface: connecting is refused at once.
UNREACHABLE_BASE_URL = "http://127.0.0.1:9/v1"


def rules_kind_model(key: str, provider: Provider) -> AIModel:
    """A model served by the rules engine: healthy, instant and offline, so a good switch target."""
    return AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model="rules",
                                  prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def rules_a(rules_model) -> AIModel:
    return rules_kind_model("test/rules-a", rules_model.provider)


@pytest.fixture
def rules_b(rules_model) -> AIModel:
    return rules_kind_model("test/rules-b", rules_model.provider)


@pytest.fixture
def unreachable_model() -> AIModel:
    """An OpenAI-compatible model whose server is down: its live probe fails."""
    provider = Provider.objects.create(name="down", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=UNREACHABLE_BASE_URL,
                                       connect_timeout_s=0.5, read_timeout_s=1)
    return AIModel.objects.create(key="down/chat", display_name="Down chat", provider=provider, provider_model="chat",
                                  prompt_style=AIModel.PromptStyle.CHAT)


@pytest.fixture
def slots(rules_a, rules_model) -> dict[str, Slot]:
    """fast on test/rules-a, accurate on builtin/rules."""
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_model)}

