import shlex

import pytest

from evaluation.benchmarks.report import run_command
from evaluation.models import BenchmarkRun


@pytest.mark.django_db
def test_it_rebuilds_a_command_that_starts_the_same_run(finished_run, run_benchmark):
    command = shlex.split(run_command(finished_run))
    assert command[:3] == ["python", "manage.py", "run_benchmark"]

    run_benchmark(*command[3:], "--inline")

    again = BenchmarkRun.objects.exclude(pk=finished_run.pk).get()
    fields = ("suite_id", "label", "repetitions", "warmup_repetitions", "concurrency", "created_by_id")
    assert [getattr(again, f) for f in fields] == [getattr(finished_run, f) for f in fields]
    assert [r.stage_models for r in again.routes.all()] == [r.stage_models for r in finished_run.routes.all()]
    assert run_command(again) == run_command(finished_run)
