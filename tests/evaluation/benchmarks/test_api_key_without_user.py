import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_a_key_that_acts_for_no_user(async_client, auth_headers, suite, rules_a, queued_tasks):
    response = await post_benchmark(async_client, benchmark_body(), auth_headers)

    assert response.status_code == 403
    assert "does not act for a user, so it may not run benchmarks" in response.json()["detail"]
    assert not await BenchmarkRun.objects.aexists()
