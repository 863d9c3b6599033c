"""Recommendation rows always end finished: a cancelled request is failed, an unrecorded result fails
closed, and the reaper fails what a dead process left."""

import asyncio
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.utils import timezone
from django_q.models import Schedule

from energy import actions
from energy.models import LLMCall, Recommendation
from energy.recommendation_records import reap_stale_recommendations
from energy.schemas import RecommendationIn
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_records_a_request_cancelled_mid_pipeline_as_failed(plans, rules_only_catalog, monkeypatch):
    pipeline_started = asyncio.Event()

    async def hanging_run_pipeline(*args, **kwargs):
        pipeline_started.set()
        await asyncio.Event().wait()

    monkeypatch.setattr("energy.actions.run_pipeline", hanging_run_pipeline)
    payload = RecommendationIn.model_validate(recommendation_body())
    request = asyncio.create_task(actions.recommend(payload, api_key_id=None, request_id="goes-away"))
    await pipeline_started.wait()

    request.cancel()  # what Django does to the view when the client disconnects
    with pytest.raises(asyncio.CancelledError):
        await request

    row = await Recommendation.objects.aget(request_id="goes-away")
    assert row.status == Recommendation.Status.FAILED
    assert [error["kind"] for error in row.errors] == ["cancelled"]
    assert row.finished_at is not None


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_return_a_result_it_could_not_record(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    real_update = QuerySet.update

    def update_failing_on_success(self, **fields):
        if self.model is Recommendation and fields.get("status") == Recommendation.Status.SUCCEEDED:
            raise OperationalError("disk I/O error")
        return real_update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", update_failing_on_success)

    response = await post_recommendation(async_client, auth_headers, recommendation_body())

    assert response.status_code == 503
    problem = response.json()
    assert problem["title"] == "Result not recorded"
    assert [error["kind"] for error in problem["errors"]] == ["not_recorded"]
    assert "data" not in problem
    row = await Recommendation.objects.aget()
    assert row.status == Recommendation.Status.FAILED
    assert row.output is None
    monkeypatch.undo()
    again = await post_recommendation(async_client, auth_headers, recommendation_body())
    assert again.json()["metadata"]["cache"]["hit"] is False  # the unrecorded answer was not cached either


RUNNING, QUEUED = Recommendation.Status.RUNNING, Recommendation.Status.QUEUED


def recommendation(status: str, age_s: int) -> Recommendation:
    row = Recommendation.objects.create(request_id=f"{status}-{age_s}", mode="fast", status=status, inputs={},
                                        started_at=timezone.now() - timedelta(seconds=age_s))
    Recommendation.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(seconds=age_s))
    return row


def call(age_s: int) -> LLMCall:
    return LLMCall.objects.create(stage="narrative", model_key="remote/chat-mini", provider_kind="openai_compatible",
                                  started_at=timezone.now() - timedelta(seconds=age_s))


@pytest.mark.django_db
def test_it_fails_what_a_dead_process_left_unfinished_and_nothing_else(settings):
    settings.STALE_RECOMMENDATION_S = 600
    stale_running, fresh_running = recommendation(RUNNING, 601), recommendation(RUNNING, 30)
    stale_queued, fresh_queued = recommendation(QUEUED, 601), recommendation(QUEUED, 30)
    stale_call, fresh_call = call(601), call(30)

    reaped = reap_stale_recommendations()

    assert reaped == {"recommendations": 2, "calls": 1}
    for row in (stale_running, stale_queued):
        row.refresh_from_db()
        assert row.status == Recommendation.Status.FAILED
        assert [error["kind"] for error in row.errors] == ["abandoned"]
        assert row.finished_at is not None
    fresh_running.refresh_from_db()
    fresh_queued.refresh_from_db()
    assert (fresh_running.status, fresh_queued.status) == (RUNNING, QUEUED)
    stale_call.refresh_from_db()
    fresh_call.refresh_from_db()
    assert (stale_call.status, stale_call.error_class) == (LLMCall.Status.FAILED, "abandoned")
    assert stale_call.finished_at is not None
    assert fresh_call.status == LLMCall.Status.STARTED


@pytest.mark.django_db
def test_it_schedules_the_stale_recommendation_reaper_every_five_minutes():
    schedule = Schedule.objects.get(func="energy.tasks.reap_stale_recommendations")

    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)
