import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_a_user_without_the_permission_and_starts_nothing(
    async_client, staff_headers, suite, rules_a, queued_tasks,
):
    response = await post_benchmark(async_client, benchmark_body(), staff_headers)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "evaluation.add_benchmarkrun" in response.json()["detail"]
    assert not await BenchmarkRun.objects.aexists()
    assert queued_tasks == []
