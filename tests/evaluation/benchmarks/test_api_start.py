import pytest

from evaluation.models import BenchmarkRun, BenchmarkUnit
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_starts_a_run_for_an_operator_and_answers_202_with_the_url_to_poll(
    async_client, operator_headers, suite, rules_a, rules_b, queued_tasks,
):
    body = benchmark_body(routes=["test/rules-a", {"usage_summary": "test/rules-a", "plan_scoring": "test/rules-b",
                                                   "narrative": "test/rules-a"}], warmup_repetitions=1, concurrency=2,
                          label="api")

    response = await post_benchmark(async_client, body, operator_headers)

    assert response.status_code == 202
    accepted = response.json()
    run = await BenchmarkRun.objects.select_related("created_by").aget(pk=accepted["id"])
    assert accepted == {"id": run.pk, "status": "queued", "status_url": f"/api/v1/benchmarks/{run.pk}", "units": 34}
    assert (run.label, run.concurrency, run.created_by.username) == ("api", 2, "operator")
    assert await BenchmarkUnit.objects.filter(run=run, status=BenchmarkUnit.Status.QUEUED).acount() == 34
    labels = [route.label async for route in run.routes.all()]
    assert labels == ["test/rules-a", "usage_summary=test/rules-a / plan_scoring=test/rules-b / narrative=test/rules-a"]
    assert queued_tasks == [("evaluation.tasks.drive_benchmark", run.pk)] * 2
