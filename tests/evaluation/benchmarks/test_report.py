"""manage.py export_model_report: a finished run as a Markdown report, the same bytes every time."""

import shlex

import numpy as np
import pytest
from django.core.management import CommandError

from energy.llm.base import STAGES
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import stage_latency_ms
from evaluation.benchmarks.defects import DEFECTS
from evaluation.benchmarks.report import run_command
from evaluation.models import BenchmarkRun, BenchmarkUnit, RatingItem


def slowest_stage(route_label: str) -> str:
    """The stage with the highest median over the route's measured units, straight from the stored samples."""
    units = BenchmarkUnit.objects.filter(route__label=route_label, is_warmup=False)
    return max(STAGES, key=lambda stage: np.median([stage_latency_ms(u.stages[stage]) for u in units]))


@pytest.mark.django_db
def test_it_writes_the_run_the_command_that_made_it_the_matrix_the_bottlenecks_and_a_recommendation(finished_run,
                                                                                                   export_report):
    report = export_report("--run", str(finished_run.pk), "--requests-per-day", "2500")

    assert report.startswith("# AI model analysis\n")
    assert f"- **run**: {finished_run.pk} (two rules engines)" in report
    assert "- **suite**: `eight`, 8 scenarios" in report
    assert "- **units**: 34: 34 succeeded, 0 failed" in report
    assert " CPU cores" in report
    assert ("python manage.py run_benchmark --suite eight --model test/rules-a --model test/rules-b --repetitions 2 "
            "--warmup 1 --concurrency 1 --label 'two rules engines' --user operator") in report
    assert ("| route | p50 ms | p95 ms | p99 ms | n | error rate | JSON valid | quality | cost / rec "
            "| monthly cost at 2,500/day | gates |") in report
    row = next(line for line in report.splitlines() if line.startswith("| `test/rules-a` |")).split(" | ")
    assert row[3].endswith(" †")  # a p99 of 16 samples is flagged
    assert row[4:10] == ["16", "0.0 %", "100.0 %", "1.000", "$0.000000", "$0.00"]
    assert row[10] == "pass |"
    for label in ("test/rules-a", "test/rules-b"):
        section = report.split(f"### `{label}`")[1].split("###")[0].split("## Recommendation")[0]
        assert f"Bottleneck: **{slowest_stage(label)}**" in section
    recommendation = report.split("## Recommendation")[1]
    assert "- **fast → `test/rules-" in recommendation
    assert "- **accurate → `test/rules-" in recommendation
    assert "python manage.py switch_model fast test/rules-" in recommendation


@pytest.mark.django_db
def test_it_recommends_the_fastest_model_that_passes_the_gates_and_says_why(finished_run, export_report, settings):
    settings.BENCHMARK_GATE_QUALITY = 0.8
    measured = BenchmarkUnit.objects.filter(run=finished_run, is_warmup=False)
    measured.filter(route__label="test/rules-a").update(total_ms=5.0)
    # rules-b is faster, but its answers are poor: the quality gate holds it back.
    measured.filter(route__label="test/rules-b").update(total_ms=2.0, quality_score=0.5)

    recommendation = export_report("--run", str(finished_run.pk)).split("## Recommendation")[1]

    assert "- **fast → `test/rules-a`**: p50 5.000 ms and p95 5.000 ms (n=16), JSON validity 100.0 %, quality 1.000" in (
        recommendation)
    assert "It is the only model that passes every gate." in recommendation
    assert "- **accurate → `test/rules-a`**" in recommendation
    assert "- `test/rules-b`: quality 0.500 < 0.8" in recommendation


@pytest.mark.django_db
def test_it_reports_the_latest_finished_run_by_default(finished_run, suite, export_report):
    start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=1, warmup_repetitions=0, label="still queued")

    report = export_report()

    assert f"- **run**: {finished_run.pk} (two rules engines)" in report


@pytest.mark.django_db
def test_it_writes_the_same_bytes_for_the_same_run(finished_run, export_report):
    first = export_report("--run", str(finished_run.pk))

    assert export_report("--run", str(finished_run.pk)) == first
    assert export_report() == first  # the default is the latest finished run


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


@pytest.mark.django_db
def test_it_refuses_to_report_a_run_that_has_not_finished(run, export_report):
    with pytest.raises(CommandError, match=rf"benchmark run {run.pk} is queued \(0/17 units have ended\)"):
        export_report("--run", str(run.pk))


@pytest.mark.django_db
def test_it_shows_each_models_quality_over_every_unit_it_was_asked_to_serve(finished_run, export_report):
    BenchmarkUnit.objects.filter(run=finished_run, is_warmup=False, route__label="test/rules-b").update(quality_score=0.5)
    RatingItem.evidence.filter(unit__route__label="test/rules-b").update(automatic_quality=0.5)

    report = export_report("--run", str(finished_run.pk))

    section = report.split("## Quality figures: asked, not served")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].strip("| `"): line.split(" | ")[1:] for line in section.splitlines() if line.startswith("| `")}
    assert rows["test/rules-a"] == ["1.000 (n=16)", "1.000 (n=16)", "1.000 (automatic n=16) |"]
    assert rows["test/rules-b"] == ["0.500 (n=16)", "0.500 (n=16)", "0.500 (automatic n=16) |"]


@pytest.mark.django_db
def test_it_reports_the_defect_sets_catch_rate(finished_run, export_report):
    report = export_report("--run", str(finished_run.pk))

    section = report.split("## How honest the checks are: the defect set")[1]
    caught = [line.split(" | ")[-2:] for line in section.splitlines() if line.startswith("| ") and "`" in line]
    assert len(caught) == len(DEFECTS)
    # Every planted defect caught: n/n on both sets.
    assert all(cell.split("/")[0] == cell.split("/")[1].rstrip(" |") for row in caught for cell in row)
    assert "| random customers | 0/200 |" in section
