"""The benchmark pages' cast: the demo data (catalog, the standard suite, tiers, slots, and the
users `operator` and `staff` in their groups), a second rules-engine model so that a run has two
routes and needs no network, and runs of both built by the real engine."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite
from tests.evaluation.benchmark_pages.runs import SECOND_RULES_KEY, finish, queue_run


@pytest.fixture
def demo(db, monkeypatch) -> None:
    # The drivers are run by the tests themselves, not queued.
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def second_rules_model(demo) -> AIModel:
    rules = AIModel.objects.get(key="builtin/rules")
    return AIModel.objects.create(key=SECOND_RULES_KEY, display_name="Rules engine (B)", provider=rules.provider,
                                  provider_model="rules", prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def suite(demo) -> BenchmarkSuite:
    return BenchmarkSuite.objects.get(name="standard")


@pytest.fixture
def queued_run(suite, second_rules_model) -> BenchmarkRun:
    """Both rules models, one repetition of every scenario, no warm-up; nothing run yet."""
    return queue_run(suite)


@pytest.fixture
def finished_run(queued_run) -> BenchmarkRun:
    return finish(queued_run)


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def operator_client(demo) -> Client:
    """The demo operator: may start runs and switch slots."""
    return logged_in("operator")


@pytest.fixture
def staff_client(demo) -> Client:
    """The demo product staff: may look at runs, not start them or switch."""
    return logged_in("staff")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
