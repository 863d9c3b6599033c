import numpy as np
import pytest

from energy.llm.base import STAGES
from evaluation.models import BenchmarkUnit


def slowest_stage(route_label: str) -> str:
    """The stage with the highest median over the route's measured units, straight from the stored samples."""
    units = BenchmarkUnit.objects.filter(route__label=route_label, is_warmup=False)
    return max(STAGES, key=lambda stage: np.median([u.stages[stage]["total_ms"] for u in units]))


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
