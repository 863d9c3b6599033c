"""The rating tests' cast: Rita and Raj rate for product staff, Olivia is an operator, Nemo is an
admin user without the rating permission (all four are admin users, as the rating pages live in
the admin: tests/conftest.py's `staff` and `operator` are not, and rate through the API); a
catalog model whose name must never reach a rating page; and real pipeline outputs from a
rules-engine benchmark run. `rules_model`, `staff`, `operator` and their API keys come from
tests/conftest.py; the pages' addresses and hand-built outputs from items.py.

The judges' cast: `judged_run`, four real outputs of test/rules-a to judge; `remote_model` (a chat
model, tests/conftest.py) judges them at the HTTP seam, and `completion_judge`, a completion-style
model on the same server, does too; the drivers start_judging queues are recorded in
`judge_tasks` instead of sent."""

from io import StringIO

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.management import call_command
from django.test import Client

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, Provider, RatingItem, Scenario
from evaluation.ratings import items
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF
from evaluation.seeds.benchmarks import SCENARIOS
from tests.evaluation.ratings.items import client_for, rater


@pytest.fixture
def rita(db) -> AbstractBaseUser:
    return rater("rita", PRODUCT_STAFF)


@pytest.fixture
def raj(db) -> AbstractBaseUser:
    return rater("raj", PRODUCT_STAFF)


@pytest.fixture
def olivia(db) -> AbstractBaseUser:
    return rater("olivia", OPERATORS)


@pytest.fixture
def nemo(db) -> AbstractBaseUser:
    return rater("nemo", None)


@pytest.fixture
def rita_client(rita) -> Client:
    return client_for(rita)


@pytest.fixture
def secret_model(db) -> AIModel:
    provider = Provider.objects.create(name="Acme Labs", kind=Provider.Kind.RULES)
    return AIModel.objects.create(key="acme/secret-model-x", display_name="Acme Secret X", provider=provider,
                                  provider_model="secret-x", prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def pipeline_items(db, monkeypatch) -> list[RatingItem]:
    """The seeded demo, then the rules engine on the standard suite once: one real output per
    scenario, collected into the rating queue (model_key "builtin/rules")."""
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    call_command("seed_demo", stdout=StringIO())
    run = start_benchmark(BenchmarkSuite.objects.get(name="standard"), ["builtin/rules"], acting_user=None,
                          repetitions=1, warmup_repetitions=0)
    execution.drive(run.pk)
    items.collect()
    return list(RatingItem.objects.order_by("id"))


@pytest.fixture
def judge_tasks(monkeypatch) -> list[tuple]:
    tasks: list[tuple] = []
    monkeypatch.setattr("evaluation.ratings.judge_actions.async_task", lambda *args, **kwargs: tasks.append(args))
    return tasks


@pytest.fixture
def judged_run(plans, rules_a, monkeypatch) -> BenchmarkRun:
    """test/rules-a on four of the standard scenarios, once each, run to the end: four outputs."""
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    suite = BenchmarkSuite.objects.create(name="four")
    for scenario in SCENARIOS[:4]:
        Scenario.objects.create(suite=suite, **scenario)
    run = start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=1, warmup_repetitions=0)
    execution.drive(run.pk)
    return BenchmarkRun.objects.get(pk=run.pk)


@pytest.fixture
def completion_judge(remote_model) -> AIModel:
    """A base model on the remote server, asked with few-shot completion prompts (…/completions)."""
    return AIModel.objects.create(key="remote/base-small", display_name="Remote base small", provider=remote_model.provider,
                                  provider_model="base-small", prompt_style=AIModel.PromptStyle.COMPLETION)
