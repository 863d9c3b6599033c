"""The routing cast: both slots on distinguishable rules-kind models (fast on test/rules-a,
accurate on test/rules-b), so a chain's keys say which slot each position came from."""

import pytest

from evaluation.models import AIModel, Provider, RoutingPolicy, Slot


def rules_kind_model(key: str, provider: Provider) -> AIModel:
    return AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model="rules",
                                  prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def rules_a(rules_model) -> AIModel:
    return rules_kind_model("test/rules-a", rules_model.provider)


@pytest.fixture
def rules_b(rules_model) -> AIModel:
    return rules_kind_model("test/rules-b", rules_model.provider)


@pytest.fixture
def slots(rules_a, rules_b) -> dict[str, Slot]:
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_b)}


@pytest.fixture
def set_policy():
    """set_policy(stage_slots=…, fallback_slots=…, rules=…): the one routing policy row."""

    def save(**fields) -> RoutingPolicy:
        policy, _ = RoutingPolicy.objects.update_or_create(pk=1, defaults=fields)
        return policy

    return save


def keys(chain) -> list[str]:
    return [model.key for model in chain]
