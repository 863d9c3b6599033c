"""The driver: it runs a run's units to the end, or until its time budget is spent. A task worker asked
to stop (Ctrl-C, or bin/serve stopping) hands its benchmark work back: the unit in hand returns to
the queue with its attempt uncounted, no new unit is claimed, and a fresh driver task is queued so
the run carries on when a cluster runs again."""

import asyncio
from io import StringIO

import pytest
from django.core.management import call_command

from energy import shutdown
from energy.models import LLMCall
from evaluation import tasks
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, BenchmarkUnit
from tests.conftest import REMOTE_CHAT_URL


@pytest.mark.django_db
def test_it_runs_every_unit_to_a_terminal_state_and_writes_measured_figures_back(monkeypatch):
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    call_command("seed_demo", stdout=StringIO())
    suite = BenchmarkSuite.objects.get(name="standard")

    run = start_benchmark(suite, ["builtin/rules"], acting_user=None, repetitions=2, warmup_repetitions=1)
    stored, remaining = execution.drive(run.pk)

    run.refresh_from_db()
    scenarios = suite.scenarios.count()
    assert (stored, remaining) == (scenarios * 2 + 1, False)
    assert run.status == BenchmarkRun.Status.FINISHED
    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.SUCCEEDED}
    unit = run.units.filter(is_warmup=False).first()
    assert set(unit.stages) == {"usage_summary", "plan_scoring", "narrative"}
    assert unit.quality_score == 1.0
    assert unit.json_valid is True
    assert AIModel.objects.get(key="builtin/rules").measured_p95_ms is not None


@pytest.mark.django_db
def test_it_stops_when_its_time_budget_is_spent_and_reports_the_units_left(run):
    assert execution.drive(run.pk, budget_s=0) == (0, True)

    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.QUEUED}
    assert BenchmarkRun.objects.get(pk=run.pk).status == BenchmarkRun.Status.RUNNING


pytestmark = pytest.mark.usefixtures("worker_not_stopping")


@pytest.fixture
def driver_tasks(monkeypatch) -> list[tuple]:
    queued: list[tuple] = []
    monkeypatch.setattr(tasks, "async_task", lambda *args, **kwargs: queued.append(args))
    return queued


@pytest.mark.django_db
def test_it_claims_no_unit_and_queues_a_fresh_driver_when_already_stopping(run, driver_tasks):
    shutdown.request()

    assert tasks.drive_benchmark(run.pk) == 0

    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.QUEUED}
    assert driver_tasks == [("evaluation.tasks.drive_benchmark", run.pk)]


@pytest.mark.django_db(transaction=True)
def test_it_hands_the_unit_in_progress_back_when_asked_to_stop(suite, remote_model, rules_model, queued_tasks, httpx_mock,
                                                              driver_tasks):
    async def stops_the_worker_mid_call(request):
        shutdown.request()  # what SIGINT does in a worker
        await asyncio.sleep(30)  # a slow model: only the cancellation ends this call

    httpx_mock.add_callback(stops_the_worker_mid_call, url=REMOTE_CHAT_URL, method="POST", is_reusable=True)
    run = start_benchmark(suite, ["remote/chat-mini"], acting_user=None, repetitions=1, warmup_repetitions=0)

    tasks.drive_benchmark(run.pk)

    units = list(run.units.all())
    assert {u.status for u in units} == {BenchmarkUnit.Status.QUEUED}
    assert {u.attempts for u in units} == {0}  # the interrupted attempt does not count against the unit
    assert {u.claim_token for u in units} == {""}
    assert driver_tasks == [("evaluation.tasks.drive_benchmark", run.pk)]
    # The interrupted upstream calls are recorded, and finished.
    calls = LLMCall.objects.all()
    assert calls.exists()
    assert not calls.filter(status=LLMCall.Status.STARTED).exists()


@pytest.mark.django_db
def test_it_skips_the_probe_when_stopping(monkeypatch):
    probed = []
    monkeypatch.setattr(tasks, "_probe_slots", lambda: probed.append(1) or [])
    shutdown.request()

    assert tasks.probe_slots() == 0
    assert probed == []


@pytest.mark.django_db
def test_it_runs_normally_when_not_stopping(run, driver_tasks):
    done = tasks.drive_benchmark(run.pk)

    assert done == run.units.count()
    assert driver_tasks == []
