"""A queued recommendation and a task worker that is stopping: a request not started stays queued
and is queued again; one cut short goes back to the queue, its upstream calls recorded."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from energy import shutdown
from energy.models import LLMCall, Recommendation
from energy.tasks import run_recommendation
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.queue import queue_recommendation

pytestmark = pytest.mark.usefixtures("worker_not_stopping")


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
