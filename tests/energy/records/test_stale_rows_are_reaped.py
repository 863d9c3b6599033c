from datetime import timedelta

import pytest
from django.utils import timezone

from energy.actions import reap_stale_recommendations
from energy.models import LLMCall, Recommendation

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
