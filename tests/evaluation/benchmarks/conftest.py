"""The benchmark tests' cast: two rules-kind models (instant and offline, so a unit takes
milliseconds), the plans, a suite of eight standard scenarios, and the task queue replaced by a
list where a test should not queue drivers. The users come from tests/conftest.py."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from energy.models import ApiKey
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, Provider, Scenario
from evaluation.seeds.benchmarks import SCENARIOS


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
def suite(plans) -> BenchmarkSuite:
    """Eight of the standard scenarios, over the shared test plans."""
    suite = BenchmarkSuite.objects.create(name="eight")
    for scenario in SCENARIOS[:8]:
        Scenario.objects.create(suite=suite, **scenario)
    return suite


@pytest.fixture
def queued_tasks(monkeypatch) -> list[tuple]:
    """The driver tasks start_benchmark queues, recorded instead of sent to the broker."""
    tasks: list[tuple] = []
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: tasks.append(args))
    return tasks


@pytest.fixture
def run(suite, rules_a, queued_tasks) -> BenchmarkRun:
    """test/rules-a on the eight scenarios, twice each, after one warm-up: 17 queued units."""
    return start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=2, warmup_repetitions=1)


def key_headers(user) -> dict[str, str]:
    _, raw = ApiKey.generate(f"{user.get_username()}'s key", user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def operator_headers(operator) -> dict[str, str]:
    """An API key that acts for the operator, who may run execution."""
    return key_headers(operator)


@pytest.fixture
def staff_headers(staff) -> dict[str, str]:
    """An API key that acts for a product-staff user, who may only look."""
    return key_headers(staff)


@pytest.fixture
def run_benchmark(queued_tasks) -> Callable[..., str]:
    """Run `manage.py run_benchmark` with the given arguments (no driver task queued) and return what it printed."""

    def run(*args: str) -> str:
        out = StringIO()
        call_command("run_benchmark", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


@pytest.fixture
def finished_run(suite, rules_a, rules_b, operator, queued_tasks) -> BenchmarkRun:
    """test/rules-a and test/rules-b on the eight scenarios, twice each after one warm-up, started by
    the operator and executed to the end."""
    started = start_benchmark(suite, ["test/rules-a", "test/rules-b"], acting_user=operator, repetitions=2,
                              warmup_repetitions=1, label="two rules engines")
    execution.drive(started.pk)
    return BenchmarkRun.objects.get(pk=started.pk)


@pytest.fixture
def export_report(tmp_path) -> Callable[..., str]:
    """Run `manage.py export_model_report` with the given arguments into a new file; return the file's text."""
    written = iter(range(1_000))

    def export(*args: str) -> str:
        path = tmp_path / f"report-{next(written)}.md"
        call_command("export_model_report", *args, "--output", str(path), stdout=StringIO())
        return path.read_text(encoding="utf-8")

    return export
