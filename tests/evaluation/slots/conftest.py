import pytest
from django.test import Client

from evaluation.models import AIModel, RoutingPolicy, Slot
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF
from tests.evaluation.slots.switchboard import logged_in


@pytest.fixture
def slots(rules_a, rules_model) -> dict[str, Slot]:
    """fast on test/rules-a, accurate on builtin/rules (rules_a, rules_b: tests/conftest.py)."""
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_model)}


@pytest.fixture
def routing_slots(rules_a, rules_b) -> dict[str, Slot]:
    """fast on test/rules-a, accurate on test/rules-b: a chain's keys say which slot each position came from."""
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_b)}


@pytest.fixture
def set_policy():
    """set_policy(stage_slots=…, fallback_slots=…, rules=…): the one routing policy row."""

    def save(**fields) -> RoutingPolicy:
        policy, _ = RoutingPolicy.objects.update_or_create(pk=1, defaults=fields)
        return policy

    return save


@pytest.fixture
def operator_client(db) -> Client:
    """An admin user in Operators (olivia), logged in: may switch on the switchboard."""
    return logged_in("olivia", OPERATORS)


@pytest.fixture
def staff_client(db) -> Client:
    """An admin user in Product staff (sam), logged in: may only look at the switchboard."""
    return logged_in("sam", PRODUCT_STAFF)


@pytest.fixture
def challenger(rules_model) -> AIModel:
    """A second rules-engine model to switch to on the switchboard: its live probe needs no network."""
    return AIModel.objects.create(
        key="builtin/rules-challenger", display_name="Rules engine (challenger)", provider=rules_model.provider,
        provider_model="rules", prompt_style=AIModel.PromptStyle.RULES,
    )
