"""A council in a benchmark (issue 16): a route like any model's, run unit by unit, its cost the sum of
its calls at each member's prices, shown as one route in the decision matrix beside single models."""

import pytest

from energy.models import LLMCall
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.benchmarks.report import councils
from evaluation.catalog.councils import compose_council
from evaluation.models import BenchmarkRun, BenchmarkUnit
from evaluation.seeds.accounts import OPERATORS
from tests.evaluation.conftest import COUNCIL, trio
from tests.evaluation.slots.switchboard import logged_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def council_run(suite, council_models, rules_model, queued_tasks) -> BenchmarkRun:
    compose_council(COUNCIL, trio(), acting_user=None, reason="benchmark it")
    run = start_benchmark(suite, [COUNCIL, "remote/a", "builtin/rules"], acting_user=None, repetitions=1,
                          warmup_repetitions=0)
    execution.drive(run.pk)
    run.refresh_from_db()
    return run


def test_a_council_is_benchmarked_as_one_route_beside_single_models(council_run, suite):
    run = council_run
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


def test_the_report_sets_a_council_beside_the_best_single_model_and_says_whose_answers_it_served(council_run, suite):
    section = councils(route_figures(council_run))

    scenarios = suite.scenarios.count()
    assert section.startswith("## Councils")
    assert f"### `{COUNCIL}`" in section
    assert "Members `remote/a`, `remote/b`, `remote/c`; chairman `remote/chair`; at least 2 answers" in section
    # Both score 1.000: the rules engine is the best single model, and a tie is not a win.
    assert (f"**It ties with the best single model of the run**: quality 1.000 (n={scenarios}) against "
            f"`builtin/rules`'s 1.000 (n={scenarios})") in section
    # The chairman wrote every stage's answer, from three answers each time, none dropped.
    for stage in ("usage_summary", "plan_scoring", "narrative"):
        assert f"| {stage} | {scenarios} of {scenarios} | `remote/chair` {scenarios} | 0 |" in section


def test_a_run_without_a_council_has_no_council_section(suite, rules_model, queued_tasks):
    run = start_benchmark(suite, ["builtin/rules"], acting_user=None, repetitions=1, warmup_repetitions=0)
    execution.drive(run.pk)

    assert councils(route_figures(run)) is None
