"""A task worker asked to stop (Ctrl-C, or bin/serve stopping) hands its benchmark work back:
the unit in hand returns to the queue with its attempt uncounted, no new unit is claimed, and a
fresh driver task is queued so the run carries on when a cluster runs again."""

import asyncio

import pytest

from energy import shutdown
from energy.models import LLMCall
from evaluation import tasks
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkUnit
from tests.conftest import REMOTE_CHAT_URL

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
