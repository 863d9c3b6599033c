"""A council in a benchmark (issue 16): a route like any model's, run unit by unit, its cost the sum of
its calls at each member's prices, shown as one route in the decision matrix beside single models."""

import pytest

from energy.models import LLMCall
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.catalog.councils import compose_council
from evaluation.models import BenchmarkRun, BenchmarkUnit
from evaluation.seeds.accounts import OPERATORS
from tests.evaluation.conftest import COUNCIL, trio
from tests.evaluation.slots.switchboard import logged_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_council_is_benchmarked_as_one_route_beside_single_models(suite, council_models, rules_model, queued_tasks):
    compose_council(COUNCIL, trio(), acting_user=None, reason="benchmark it")

    run = start_benchmark(suite, [COUNCIL, "remote/a", "builtin/rules"], acting_user=None, repetitions=1,
                          warmup_repetitions=0)
    execution.drive(run.pk)

    run.refresh_from_db()
    assert run.status == BenchmarkRun.Status.FINISHED
    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.SUCCEEDED}
    figures = {f.label: f for f in route_figures(run)}
    council, single = figures[COUNCIL], figures["remote/a"]
    assert council.units == single.units == suite.scenarios.count()
    # Its cost is what its calls cost: per unit, every member's and the chairman's tokens at their prices.
    for unit in run.units.filter(route__label=COUNCIL):
        calls = LLMCall.objects.filter(context=f"benchmark:{run.pk}:{unit.pk}")
        assert set(calls.values_list("model_key", flat=True)) == {"remote/a", "remote/b", "remote/c", "remote/chair"}
        expected = sum(float(c.cost_usd) for c in calls)
        assert float(unit.cost_usd) == pytest.approx(expected, rel=1e-6)
        assert all(unit.stages[stage]["served_by_candidate"] for stage in unit.stages)
    assert council.cost_per_recommendation > single.cost_per_recommendation > 0
    assert council.quality == 1.0

    response = logged_in("olivia", OPERATORS).get(f"/admin/benchmarks/matrix/?run={run.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    # One row per route: the council's, with its whole cost, beside the single models'.
    for route in (COUNCIL, "remote/a", "builtin/rules"):
        assert f"<th>{route}</th>" in html
    assert f"${council.cost_per_recommendation:.6f}" in html
