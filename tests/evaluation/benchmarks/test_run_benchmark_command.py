"""manage.py run_benchmark: start a run from the shell, or execute it in the process with a progress bar."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError
from django.core.management.base import OutputWrapper

from evaluation.benchmarks.progress import tally
from evaluation.management.commands.run_benchmark import ProgressBar
from evaluation.models import BenchmarkRun, BenchmarkUnit


@pytest.mark.django_db
def test_it_executes_the_run_in_the_process_with_a_progress_bar_and_prints_the_summary(run_benchmark, suite, rules_a,
                                                                                       rules_b):
    printed = run_benchmark("--suite", "eight", "--model", "test/rules-a", "--model", "test/rules-b", "--repetitions", "2",
                            "--warmup", "1", "--inline")

    run = BenchmarkRun.objects.get()
    assert run.status == BenchmarkRun.Status.FINISHED
    assert set(run.units.values_list("status", flat=True)) == {BenchmarkUnit.Status.SUCCEEDED}
    lines = printed.splitlines()
    assert lines[0] == f"Benchmark run {run.pk}: 34 units on suite eight, executed in this process."
    # Not a terminal: one line per 10 % reached, never a carriage return.
    bars = [line for line in lines if line.startswith("[")]
    assert bars[-1].startswith(f"[{'#' * 30}] 34/34 units 100.0 %")
    assert 1 <= len(bars) <= 11
    assert "\r" not in printed
    header, rules_a_row, rules_b_row = lines[-3:]
    assert header.split() == ["route", "p50", "ms", "p95", "ms", "n", "errors", "JSON", "valid", "whys", "by", "model",
                              "quality", "cost/rec", "bottleneck"]
    for row, label in ((rules_a_row, "test/rules-a"), (rules_b_row, "test/rules-b")):
        cells = row.split()
        assert cells[0] == label
        assert cells[3] == "16"  # n
        assert cells[4:12] == ["0.0", "%", "100.0", "%", "100.0", "%", "1.000", "$0.000000"]
        assert cells[12] in {"usage_summary", "plan_scoring", "narrative"}


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


@pytest.mark.django_db
def test_it_refuses_a_per_stage_route_without_every_stage(run_benchmark, suite, rules_a):
    with pytest.raises(CommandError, match="a route names a model for each of usage_summary, plan_scoring, narrative"):
        run_benchmark("--suite", "eight", "--route", "usage_summary=test/rules-a,narrative=test/rules-a", "--inline")

    assert not BenchmarkRun.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_permission(run_benchmark, staff, suite, rules_a):
    with pytest.raises(CommandError, match=r"staff may not run benchmarks \(needs evaluation.add_benchmarkrun\)"):
        run_benchmark("--suite", "eight", "--model", "test/rules-a", "--user", "staff", "--inline")

    assert not BenchmarkRun.objects.exists()


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_it_redraws_one_line_in_place_on_a_terminal():
    screen = Terminal()
    bar = ProgressBar(OutputWrapper(screen))

    for done in (0, 1, 1, 2):
        bar.show(tally(Counter(queued=2 - done, succeeded=done)))
    bar.close()

    drawn = screen.getvalue()
    assert drawn.count("\r") == 3  # the repeated state is not redrawn
    assert drawn.count("\n") == 1
    assert "] 2/2 units 100.0 %  queued 0 · running 0 · succeeded 2 · failed 0" in drawn.split("\r")[-1]
