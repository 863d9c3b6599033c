import pytest
from django.core.management import CommandError

from evaluation.models import BenchmarkRun


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_permission(run_benchmark, staff, suite, rules_a):
    with pytest.raises(CommandError, match=r"staff may not run benchmarks \(needs evaluation.add_benchmarkrun\)"):
        run_benchmark("--suite", "eight", "--model", "test/rules-a", "--user", "staff", "--inline")

    assert not BenchmarkRun.objects.exists()
