import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_model_the_catalog_does_not_have(async_client, operator_headers, suite, rules_a,
                                                                    queued_tasks):
    body = benchmark_body(routes=["test/rules-a", {"usage_summary": "test/rules-a", "plan_scoring": "nope/model",
                                                   "narrative": "test/rules-a"}])

    response = await post_benchmark(async_client, body, operator_headers)

    assert response.status_code == 404
    assert response.json()["title"] == "Unknown model"
    assert "nope/model" in response.json()["detail"]
    assert not await BenchmarkRun.objects.aexists()
