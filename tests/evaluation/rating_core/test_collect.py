import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkSuite, BenchmarkUnit, RatingItem, Scenario
from evaluation.ratings import items
from evaluation.seeds.benchmarks import SCENARIOS


@pytest.fixture
def finished_run(plans, rules_model, monkeypatch) -> BenchmarkRun:
    """The rules engine on two standard scenarios, twice each after one warm-up, run to the end."""
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    suite = BenchmarkSuite.objects.create(name="two")
    for scenario in SCENARIOS[:2]:
        Scenario.objects.create(suite=suite, **scenario)
    run = start_benchmark(suite, [rules_model.key], acting_user=None, repetitions=2, warmup_repetitions=1)
    execution.drive(run.pk)
    return run


@pytest.mark.django_db
def test_it_queues_each_finished_benchmark_output_once_with_the_model_that_served_it(finished_run, rules_model):
    RatingItem.objects.all().delete()
    measured = finished_run.units.filter(status=BenchmarkUnit.Status.SUCCEEDED, is_warmup=False)

    assert items.collect() == measured.count() == 4
    assert items.collect() == 0
    unit = measured.first()
    item = RatingItem.objects.get(unit=unit)
    assert (item.model_key, item.payload, item.inputs) == (rules_model.key, unit.output, unit.scenario.payload)
    assert item.scenario_key == f"scenario:{unit.scenario_id}"
    assert item.automatic_quality == unit.quality_score
    assert not RatingItem.objects.filter(unit__is_warmup=True).exists()
