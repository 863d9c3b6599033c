import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_suite_that_does_not_exist(async_client, operator_headers, suite, rules_a, queued_tasks):
    response = await post_benchmark(async_client, benchmark_body(suite="nine"), operator_headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "there is no benchmark suite named 'nine'"
    assert not await BenchmarkRun.objects.aexists()
