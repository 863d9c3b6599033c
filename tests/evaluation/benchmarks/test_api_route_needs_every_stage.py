import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_naming_the_missing_stage_of_a_per_stage_route(async_client, operator_headers, suite, rules_a,
                                                                            queued_tasks):
    body = benchmark_body(routes=[{"usage_summary": "test/rules-a", "narrative": "test/rules-a"}])

    response = await post_benchmark(async_client, body, operator_headers)

    assert response.status_code == 422
    assert [(e["field"], e["type"]) for e in response.json()["errors"]] == [("routes[0].stages.plan_scoring", "missing")]
    assert not await BenchmarkRun.objects.aexists()
