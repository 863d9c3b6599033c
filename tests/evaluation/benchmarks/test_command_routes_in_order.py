import pytest

from evaluation.models import BenchmarkRun


@pytest.mark.django_db
def test_it_keeps_models_and_per_stage_routes_in_the_order_given_and_acts_as_the_user(run_benchmark, operator, suite,
                                                                                     rules_a, rules_b):
    run_benchmark("--suite", "eight", "--route", "usage_summary=test/rules-b,plan_scoring=test/rules-a,narrative=test/rules-b",
                  "--model", "test/rules-a", "--repetitions", "1", "--warmup", "0", "--label", "order",
                  "--user", "operator", "--inline")

    run = BenchmarkRun.objects.get()
    assert [route.stage_models for route in run.routes.all()] == [
        {"usage_summary": "test/rules-b", "plan_scoring": "test/rules-a", "narrative": "test/rules-b"},
        dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), "test/rules-a"),
    ]
    assert (run.label, run.created_by, run.repetitions, run.warmup_repetitions) == ("order", operator, 1, 0)
