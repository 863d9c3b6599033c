import pytest
from asgiref.sync import sync_to_async

from evaluation.benchmarks import execution
from tests.evaluation.benchmarks.benchmark_requests import benchmark_body, post_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_reports_the_aggregates_of_a_finished_run_at_the_traffic_asked_for(async_client, operator_headers, suite,
                                                                                    rules_a, queued_tasks):
    accepted = (await post_benchmark(async_client, benchmark_body(warmup_repetitions=1), operator_headers)).json()
    await sync_to_async(execution.drive)(accepted["id"])

    response = await async_client.get(f"{accepted['status_url']}?requests_per_day=500", headers=operator_headers)

    assert response.status_code == 200
    run = response.json()
    assert (run["status"], run["progress"]["percent"], run["created_by"]) == ("finished", 100.0, "operator")
    [route] = run["aggregates"]
    assert (route["label"], route["units"], route["failed"], route["error_rate"]) == ("test/rules-a", 16, 0, 0.0)
    assert (route["latency"]["n"], route["latency"]["p99_reliable"]) == (16, False)
    assert (route["json_validity_rate"], route["quality"]) == (1.0, 1.0)
    assert route["monthly_cost"] == {"requests_per_day": 500, "usd": 0.0}
    assert route["bottleneck"] in route["stages"]
    assert route["stages"]["narrative"]["model"] == "test/rules-a"
    assert route["stages"]["narrative"]["latency"]["n"] == 16
