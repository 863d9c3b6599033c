from io import StringIO

import pytest
from django.core.management import call_command

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, BenchmarkUnit


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
