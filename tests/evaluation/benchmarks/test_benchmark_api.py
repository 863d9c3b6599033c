"""The benchmarks router, as a client calls it: start a run (POST), list recent runs, poll one for its
progress and aggregates; every refusal answers a problem and starts nothing."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from django.http import HttpResponse
from django.test import AsyncClient
from django_q.models import Task

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkUnit


def benchmark_body(**fields) -> dict:
    return {"suite": "eight", "routes": ["test/rules-a"], "repetitions": 2, "warmup_repetitions": 0, **fields}


async def post_benchmark(client: AsyncClient, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.post("/api/v1/benchmarks", body, content_type="application/json", headers=headers)


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


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_a_key_that_acts_for_no_user(async_client, auth_headers, suite, rules_a, queued_tasks):
    response = await post_benchmark(async_client, benchmark_body(), auth_headers)

    assert response.status_code == 403
    assert "does not have the 'benchmark' scope" in response.json()["detail"]  # a key with no user never has it
    assert not await BenchmarkRun.objects.aexists()


# The limits are in the schema, so the API refuses only what the schema does (issue 14, 6).
@pytest.mark.parametrize(("fields", "field"), [({"repetitions": 0}, "repetitions"), ({"concurrency": 17}, "concurrency"),
                                               ({"warmup_repetitions": 11}, "warmup_repetitions"), ({"routes": []}, "routes")])
@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_to_a_run_out_of_bounds(async_client, operator_headers, suite, rules_a, queued_tasks, fields,
                                                     field):
    response = await post_benchmark(async_client, benchmark_body(**fields), operator_headers)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    documented = (await async_client.get("/api/v1/openapi.json")).json()["components"]["schemas"]["BenchmarkIn"]
    assert {"minimum", "maximum"} <= set(documented["properties"]["repetitions"])
    assert documented["properties"]["routes"]["minItems"] == 1
    assert not await BenchmarkRun.objects.aexists()
    assert queued_tasks == []


@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_naming_the_missing_stage_of_a_per_stage_route(async_client, operator_headers, suite, rules_a,
                                                                            queued_tasks):
    body = benchmark_body(routes=[{"usage_summary": "test/rules-a", "narrative": "test/rules-a"}])

    response = await post_benchmark(async_client, body, operator_headers)

    assert response.status_code == 422
    assert [(e["field"], e["type"]) for e in response.json()["errors"]] == [("routes[0].stages.plan_scoring", "missing")]
    assert not await BenchmarkRun.objects.aexists()


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


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_suite_that_does_not_exist(async_client, operator_headers, suite, rules_a, queued_tasks):
    response = await post_benchmark(async_client, benchmark_body(suite="nine"), operator_headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "there is no benchmark suite named 'nine'"
    assert not await BenchmarkRun.objects.aexists()


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_run_that_does_not_exist(async_client, auth_headers):
    response = await async_client.get("/api/v1/benchmarks/999", headers=auth_headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "there is no benchmark run 999"


@pytest.mark.django_db(transaction=True)
async def test_it_lists_recent_runs_newest_first_to_any_key(async_client, auth_headers, suite, rules_a, queued_tasks):
    _, second, third = [await sync_to_async(start_benchmark)(suite, ["test/rules-a"], acting_user=None, repetitions=1,
                                                              warmup_repetitions=0, label=label)
                       for label in ("one", "two", "three")]

    response = await async_client.get("/api/v1/benchmarks?limit=2", headers=auth_headers)

    assert response.status_code == 200
    runs = response.json()
    assert [(r["id"], r["label"]) for r in runs] == [(third.pk, "three"), (second.pk, "two")]
    assert runs[0]["progress"]["total"] == 8
    assert runs[0]["routes"] == [{"id": runs[0]["routes"][0]["id"], "label": "test/rules-a",
                                  "stage_models": dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), "test/rules-a")}]
    assert "aggregates" not in runs[0]


def work_a_little(run_id: int) -> None:
    """Three units done (the warm-up first), a fourth one in a worker's hands."""
    for _ in range(3):
        execution.execute_unit(*execution.claim_next(run_id))
    execution.claim_next(run_id)


@pytest.mark.django_db(transaction=True)
async def test_it_reports_the_units_per_status_and_the_share_that_has_ended(async_client, operator_headers, suite, rules_a,
                                                                           queued_tasks):
    accepted = (await post_benchmark(async_client, benchmark_body(warmup_repetitions=1), operator_headers)).json()
    before = (await async_client.get(accepted["status_url"], headers=operator_headers)).json()
    await sync_to_async(work_a_little)(accepted["id"])

    during = (await async_client.get(accepted["status_url"], headers=operator_headers)).json()

    assert (before["status"], before["aggregates"]) == ("queued", None)
    assert before["progress"] == {"total": 17, "queued": 17, "running": 0, "succeeded": 0, "failed": 0, "terminal": 0,
                                  "percent": 0.0}
    assert during["progress"] == {"total": 17, "queued": 13, "running": 1, "succeeded": 3, "failed": 0, "terminal": 3,
                                  "percent": 17.6}
    [route] = during["aggregates"]
    assert route["latency"]["n"] == 2  # the warm-up unit does not count


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


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_benchmark_paths_and_their_error_responses(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    keyed = {"401", "403", "406", "422", "429", "503"}
    assert set(paths["/api/v1/benchmarks"]["post"]["responses"]) == {"202", "400", "404", *keyed}
    assert set(paths["/api/v1/benchmarks"]["get"]["responses"]) == {"200", *keyed}
    assert set(paths["/api/v1/benchmarks/{run_id}"]["get"]["responses"]) == {"200", "404", *keyed}
    assert "requests_per_day" in {p["name"] for p in paths["/api/v1/benchmarks/{run_id}"]["get"]["parameters"]}


DEADLINE_S = 120


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
async def test_it_runs_8_scenarios_by_2_models_by_3_repetitions_started_through_the_api_on_a_real_cluster(
    async_client, operator_headers, suite, rules_a, rules_b, qcluster,
):
    body = benchmark_body(routes=["test/rules-a", "test/rules-b"], repetitions=3, warmup_repetitions=0)
    response = await post_benchmark(async_client, body, operator_headers)
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["units"] == 48

    deadline = time.monotonic() + DEADLINE_S
    while (status := (await async_client.get(accepted["status_url"], headers=operator_headers)).json())["status"] != "finished":
        assert qcluster.process.poll() is None, f"the cluster exited:\n{qcluster.log()}"
        assert time.monotonic() < deadline, f"not finished after {DEADLINE_S} s: {status['progress']}\n{qcluster.log()}"
        await asyncio.sleep(0.5)

    assert status["progress"] == {"total": 48, "queued": 0, "running": 0, "succeeded": 48, "failed": 0, "terminal": 48,
                                  "percent": 100.0}
    assert [(route["label"], route["latency"]["n"]) for route in status["aggregates"]] == [("test/rules-a", 24),
                                                                                          ("test/rules-b", 24)]
    units = [unit async for unit in BenchmarkUnit.objects.filter(run_id=accepted["id"])]
    assert len({unit.unit_key for unit in units}) == 48
    assert {(unit.status, unit.attempts) for unit in units} == {(BenchmarkUnit.Status.SUCCEEDED, 1)}
    # The cluster ran it, not this process (its monitor records the task a moment after it returns).
    while not (driver := await Task.objects.filter(func="evaluation.tasks.drive_benchmark").afirst()):
        assert time.monotonic() < deadline, f"no task recorded:\n{qcluster.log()}"
        await asyncio.sleep(0.2)
    assert (driver.args, driver.success) == ((accepted["id"],), True)
