"""The switchboard's cast: both slots on the rules engine, a second rules-kind model to switch
to (its live probe needs no network), and two logged-in admin users in the demo groups: an
operator who may switch and product staff who may only look."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from evaluation.models import AIModel, Provider, Slot
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF, seed_groups

BOARD_URL = "/admin/switchboard/"
# Nothing listens on the discard port of the loopback interface: connecting is refused at once.
UNREACHABLE_BASE_URL = "http://127.0.0.1:9/v1"


def logged_in(username: str, group_name: str) -> Client:
    seed_groups()
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(db) -> Client:
    return logged_in("olivia", OPERATORS)


@pytest.fixture
def staff_client(db) -> Client:
    return logged_in("sam", PRODUCT_STAFF)


@pytest.fixture
def challenger(rules_model) -> AIModel:
    return AIModel.objects.create(
        key="builtin/rules-challenger", display_name="Rules engine (challenger)", provider=rules_model.provider,
        provider_model="rules", prompt_style=AIModel.PromptStyle.RULES,
    )


@pytest.fixture
def unreachable_model() -> AIModel:
    """An OpenAI-compatible model whose server is down: its live probe fails."""
    provider = Provider.objects.create(name="down", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=UNREACHABLE_BASE_URL,
                                       connect_timeout_s=0.5, read_timeout_s=1)
    return AIModel.objects.create(key="down/chat", display_name="Down chat", provider=provider, provider_model="chat",
                                  prompt_style=AIModel.PromptStyle.CHAT)


@pytest.fixture
def slots(rules_only_catalog) -> dict[str, Slot]:
    """fast and accurate, both on builtin/rules."""
    return rules_only_catalog


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
