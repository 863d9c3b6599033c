import pytest

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
