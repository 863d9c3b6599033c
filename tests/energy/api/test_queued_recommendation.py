"""Queued recommendations (`wait=false`): handed to the task queue, run once by a worker (a real cluster
included), and handed back when the worker stops."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.utils.module_loading import import_string
from django_q.models import Task

from energy import actions, shutdown
from energy.models import LLMCall, Recommendation
from energy.tasks import run_recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body
from tests.energy.api.queue import queue_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_accepts_the_request_and_hands_it_to_the_task_queue(
    async_client, api_key, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    queued_tasks = []
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: queued_tasks.append(args))

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"), wait=False)

    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] == "queued"
    assert accepted["status_url"] == f"/api/v1/recommendations/{accepted['id']}"
    recommendation = await Recommendation.objects.aget(pk=accepted["id"])
    assert recommendation.status == Recommendation.Status.QUEUED
    assert recommendation.mode == "accurate"
    assert recommendation.api_key_id == api_key[0].pk
    assert recommendation.output is None
    assert queued_tasks == [("energy.tasks.run_recommendation", accepted["id"])]


@pytest.mark.django_db(transaction=True)
async def test_it_runs_the_queued_task_and_shows_progress_and_result(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    recommendation_id, [(task_name, *task_args)] = await queue_recommendation(async_client, auth_headers, monkeypatch)
    before = (await async_client.get(f"/api/v1/recommendations/{recommendation_id}", headers=auth_headers)).json()
    assert (before["status"], before["result"], before["progress"]) == ("queued", None, {})

    await sync_to_async(import_string(task_name))(*task_args)

    response = await async_client.get(f"/api/v1/recommendations/{recommendation_id}", headers=auth_headers)
    assert response.status_code == 200
    status = response.json()
    assert status["status"] == "succeeded"
    assert status["progress"] == dict.fromkeys(STAGES, "done")
    assert status["errors"] == []
    assert status["started_at"] is not None
    assert status["finished_at"] is not None
    assert_recommendation_shape(status["result"])
    assert status["result"]["id"] == recommendation_id
    assert status["result"]["metadata"]["models"] == dict.fromkeys(STAGES, "builtin/rules")


@pytest.mark.django_db(transaction=True)
async def test_it_runs_a_recommendation_once_however_often_the_task_is_delivered(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    recommendation_id, _ = await queue_recommendation(async_client, auth_headers, monkeypatch)
    runs = []
    real_run_pipeline = actions.run_pipeline

    async def counted_run_pipeline(*args, **kwargs):
        runs.append(args)
        return await real_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", counted_run_pipeline)

    await sync_to_async(run_recommendation)(recommendation_id)
    first = await Recommendation.objects.aget(pk=recommendation_id)
    await sync_to_async(run_recommendation)(recommendation_id)
    second = await Recommendation.objects.aget(pk=recommendation_id)

    assert len(runs) == 1
    assert second.status == Recommendation.Status.SUCCEEDED
    assert (second.started_at, second.finished_at, second.output) == (first.started_at, first.finished_at, first.output)


DEADLINE_S = 60


async def poll(check: Callable[[], Awaitable[Any]], qcluster, deadline: float) -> Any:
    """The first truthy result of `check`, asked every 0.2 s while the cluster runs."""
    while not (result := await check()):
        assert qcluster.process.poll() is None, f"the cluster exited:\n{qcluster.log()}"
        assert time.monotonic() < deadline, f"nothing after {DEADLINE_S} s:\n{qcluster.log()}"
        await asyncio.sleep(0.2)
    return result


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_queued_recommendation_from_a_real_cluster(
    async_client, auth_headers, plans, rules_only_catalog, qcluster,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(), wait=False)
    assert response.status_code == 202
    accepted = response.json()

    async def finished_status():
        status = (await async_client.get(accepted["status_url"], headers=auth_headers)).json()
        return status if status["status"] in ("succeeded", "failed") else None

    async def finished_task():
        return await Task.objects.filter(func="energy.tasks.run_recommendation").afirst()

    deadline = time.monotonic() + DEADLINE_S
    status = await poll(finished_status, qcluster, deadline)
    assert status["status"] == "succeeded", status["errors"]
    assert status["progress"] == dict.fromkeys(STAGES, "done")
    assert_recommendation_shape(status["result"])
    # The cluster, not this process, ran it.
    task = await poll(finished_task, qcluster, deadline)
    assert (task.args, task.success) == ((accepted["id"],), True)


# A queued recommendation and a task worker that is stopping: a request not started stays queued and is queued again;
# one cut short goes back to the queue, its upstream calls recorded.
@pytest.mark.usefixtures("worker_not_stopping")
@pytest.mark.django_db(transaction=True)
async def test_it_leaves_the_request_queued_and_queues_it_again_when_already_stopping(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    recommendation_id, queued_tasks = await queue_recommendation(async_client, auth_headers, monkeypatch)
    shutdown.request()

    await sync_to_async(run_recommendation)(recommendation_id)

    recommendation = await Recommendation.objects.aget(pk=recommendation_id)
    assert recommendation.status == Recommendation.Status.QUEUED
    assert recommendation.started_at is None
    assert queued_tasks[-1] == ("energy.tasks.run_recommendation", recommendation_id)
    assert len(queued_tasks) == 2  # the first queueing, then the hand-back


@pytest.mark.usefixtures("worker_not_stopping")
@pytest.mark.django_db(transaction=True)
async def test_it_hands_a_request_cut_short_back_to_the_queue(
    async_client, auth_headers, plans, remote_catalog, monkeypatch, httpx_mock,
):
    async def stops_the_worker_mid_call(request):
        shutdown.request()  # what SIGINT does in a worker
        await asyncio.sleep(30)  # only the cancellation ends this call

    httpx_mock.add_callback(stops_the_worker_mid_call, url=REMOTE_CHAT_URL, method="POST", is_reusable=True)
    recommendation_id, queued_tasks = await queue_recommendation(async_client, auth_headers, monkeypatch)

    await sync_to_async(run_recommendation)(recommendation_id)

    recommendation = await Recommendation.objects.aget(pk=recommendation_id)
    assert recommendation.status == Recommendation.Status.QUEUED
    assert (recommendation.started_at, recommendation.finished_at, recommendation.errors) == (None, None, [])
    assert queued_tasks[-1] == ("energy.tasks.run_recommendation", recommendation_id)
    calls = [call async for call in LLMCall.objects.filter(recommendation_id=recommendation_id)]
    assert calls
    assert {(call.status, call.error_class) for call in calls} == {(LLMCall.Status.FAILED, "cancelled")}
