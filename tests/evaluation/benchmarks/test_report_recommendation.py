import pytest

from evaluation.models import BenchmarkUnit


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
