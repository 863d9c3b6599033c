import pytest
from django.core.management import CommandError

from evaluation.models import BenchmarkRun


@pytest.mark.django_db
def test_it_refuses_a_per_stage_route_without_every_stage(run_benchmark, suite, rules_a):
    with pytest.raises(CommandError, match="a route names a model for each of usage_summary, plan_scoring, narrative"):
        run_benchmark("--suite", "eight", "--route", "usage_summary=test/rules-a,narrative=test/rules-a", "--inline")

    assert not BenchmarkRun.objects.exists()
