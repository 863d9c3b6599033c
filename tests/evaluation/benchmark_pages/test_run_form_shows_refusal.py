import pytest

from evaluation.models import BenchmarkRun, BenchmarkSuite


@pytest.mark.django_db
def test_it_shows_why_start_benchmark_refused_as_a_form_error(operator_client, demo):
    BenchmarkSuite.objects.create(name="empty")

    response = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "empty", "models": ["builtin/rules"], "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert response.status_code == 200
    assert "suite empty has no scenarios" in response.content.decode()
    assert not BenchmarkRun.objects.exists()
