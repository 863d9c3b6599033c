import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_to_zero_repetitions(async_client, operator_headers, suite, rules_a, queued_tasks):
    response = await post_benchmark(async_client, benchmark_body(repetitions=0), operator_headers)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Benchmark refused"
    assert "repetitions must be 1–100" in response.json()["detail"]
    assert not await BenchmarkRun.objects.aexists()
    assert queued_tasks == []
