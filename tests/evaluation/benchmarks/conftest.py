"""The benchmark tests' cast: the two rules-kind models `rules_a` and `rules_b` (instant and
offline, so a unit takes milliseconds; tests/conftest.py), the plans, a suite of eight
standard scenarios, and the task queue replaced by a list where a test should not queue drivers.
The users come from tests/conftest.py.

The pages' cast: the demo data (catalog, the standard suite, tiers, slots, and the users
`operator` and `staff` in their groups), the second rules-kind model next to its seeded rules
engine so that a run has two routes and needs no network, and runs of both built by the real
engine.

The quality checks' cast, with no database: the pipeline tests' five plan offers and
summer-peaking year, and the rules engine's own answer, which every check scores 1.0. A bad
output is a copy of that answer with one thing spoiled."""

import copy
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from energy.pipeline.facts import Facts, compute_facts
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.orchestrator import PipelineResult
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, Scenario
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import rules_kind_model
from tests.energy.pipeline.conftest import make_inputs
from tests.evaluation.benchmarks.pages import SECOND_RULES_KEY, finish, logged_in, queue_run
from tests.evaluation.benchmarks.quality_outputs import answer


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


@pytest.fixture
def demo(db, monkeypatch) -> None:
    # The drivers are run by the tests themselves, not queued.
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def demo_rules_b(demo) -> AIModel:
    """`rules_b`, next to the seeded rules engine."""
    return rules_kind_model(SECOND_RULES_KEY, AIModel.objects.get(key="builtin/rules").provider)


@pytest.fixture
def standard_suite(demo) -> BenchmarkSuite:
    return BenchmarkSuite.objects.get(name="standard")


@pytest.fixture
def queued_demo_run(standard_suite, demo_rules_b) -> BenchmarkRun:
    """Both rules models, one repetition of every scenario, no warm-up; nothing run yet."""
    return queue_run(standard_suite)


@pytest.fixture
def finished_demo_run(queued_demo_run) -> BenchmarkRun:
    return finish(queued_demo_run)


@pytest.fixture
def operator_client(demo) -> Client:
    """The demo operator: may start runs and switch slots."""
    return logged_in("operator")


@pytest.fixture
def staff_client(demo) -> Client:
    """The demo product staff: may look at runs, not start them or switch."""
    return logged_in("staff")


@pytest.fixture
def inputs() -> RecommendationInputs:
    """Five eligible plans; the reference top 3 is plans 36, 3, 14, then 8 and 21."""
    return make_inputs()


@pytest.fixture
def facts(inputs) -> Facts:
    return compute_facts(inputs)


@pytest.fixture
def good(inputs) -> PipelineResult:
    return answer(inputs)


@pytest.fixture
def data(good) -> dict[str, Any]:
    """A copy of the good output's data, to spoil."""
    return copy.deepcopy(good.data)
