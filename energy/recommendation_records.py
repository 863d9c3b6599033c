"""A recommendation's row from start to end: it ends `succeeded` or `failed`, exactly once.

A failure or a cancellation is recorded where it happens, by whichever path sees it first (the
updates are conditional on the row still running); an answer whose row cannot be written is not
returned (fail closed); and rows a dead process left unfinished are reaped. The calls a request
made are finished in the same transaction as its row (energy.calls, `batch_finishes`)."""

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from energy.calls import RecordingCaller
from energy.client_errors import MESSAGES
from energy.models import LLMCall, Recommendation
from energy.offers import UnknownPlanError
from energy.pipeline.runner import StageFailed, ms_since

logger = logging.getLogger(__name__)

CANCELLED = {"kind": "cancelled", "message": MESSAGES["cancelled"]}
NOT_RECORDED = {"kind": "not_recorded", "message": MESSAGES["not_recorded"]}


class RecommendationFailed(Exception):
    """No answer: the row is recorded as failed (or left to the reaper when even that write failed)."""

    def __init__(self, recommendation_id: UUID, errors: list[dict[str, Any]]):
        super().__init__(f"recommendation {recommendation_id} failed")
        self.recommendation_id = recommendation_id
        self.errors = errors


class RecordingFailed(RecommendationFailed):
    """The answer was computed but its row could not be written: it is not returned."""

    def __init__(self, recommendation_id: UUID, errors: list[dict[str, Any]] | None = None):
        super().__init__(recommendation_id, errors or [NOT_RECORDED])


def _finish(recommendation_id: UUID, calls: RecordingCaller | None, **fields: Any) -> int:
    """One transaction: the request's row, if still running, and the rows of its calls that
    wait for it (RecordingCaller.batch_finishes). Returns how many request rows it finished."""
    with transaction.atomic():
        if calls is not None:
            calls.write_finished()
        updated = Recommendation.objects.filter(pk=recommendation_id, status=Recommendation.Status.RUNNING).update(
            finished_at=timezone.now(), **fields,
        )
    if calls is not None:
        calls.forget_finished()
    return updated


async def record_success(recommendation_id: UUID, *, calls: RecordingCaller | None = None, **fields: Any) -> None:
    """Fail closed: an answer whose row cannot be written (or is no longer running, e.g. reaped)
    is never returned."""
    try:
        updated = await sync_to_async(_finish)(recommendation_id, calls, status=Recommendation.Status.SUCCEEDED,
                                               **fields)
    except Exception:  # whatever the database raised, the answer is unrecorded
        logger.exception("recommendation %s: the result could not be recorded", recommendation_id)
        updated = 0
    if updated != 1:
        await record_failure(recommendation_id, [NOT_RECORDED], calls=calls)
        raise RecordingFailed(recommendation_id)


async def record_failure(recommendation_id: UUID, errors: list[dict[str, Any]], *,
                         calls: RecordingCaller | None = None, **fields: Any) -> None:
    """Only a row still running is marked, so whichever path sees a failure first records it. If
    this write fails too, the row stays running (and its calls `started`) and the reaper marks
    them abandoned."""
    try:
        await sync_to_async(_finish)(recommendation_id, calls, status=Recommendation.Status.FAILED, errors=errors,
                                     **fields)
    except Exception:
        logger.exception("recommendation %s: the failure could not be recorded", recommendation_id)


async def record_cancelled(recommendation_id: UUID, started: float) -> None:
    """Shielded, so that a cancelled request still ends `failed` while its task is torn down."""
    await asyncio.shield(record_failure(recommendation_id, [CANCELLED], execution_ms=ms_since(started)))


def failure_errors(exc: BaseException) -> list[dict[str, Any]]:
    """The errors recorded for operators: the exception's own text included. Clients are told
    them in client terms (energy.client_errors)."""
    if isinstance(exc, asyncio.CancelledError):
        return [CANCELLED]
    if isinstance(exc, StageFailed):
        return exc.errors or [{"stage": exc.stage, "kind": "no_model", "message": "no servable model in the chain"}]
    if isinstance(exc, UnknownPlanError):
        return [{"kind": "plan_not_found", "message": str(exc)}]
    return [{"kind": type(exc).__name__, "message": str(exc)}]


def reap_stale_recommendations(now: datetime | None = None) -> dict[str, int]:
    """Fail what a dead process left unfinished: recommendations running (or queued and never
    picked up) for longer than STALE_RECOMMENDATION_S, and upstream calls still `started` after
    as long. The updates are conditional, so a row that finishes meanwhile keeps its result."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.STALE_RECOMMENDATION_S)
    message = f"unfinished after {settings.STALE_RECOMMENDATION_S} s: the process serving it is presumed dead"
    running = Recommendation.objects.filter(status=Recommendation.Status.RUNNING, started_at__lt=cutoff).update(
        status=Recommendation.Status.FAILED, finished_at=now, errors=[{"kind": "abandoned", "message": message}],
    )
    queued = Recommendation.objects.filter(status=Recommendation.Status.QUEUED, created_at__lt=cutoff).update(
        status=Recommendation.Status.FAILED, finished_at=now,
        errors=[{"kind": "abandoned", "message": f"queued for over {settings.STALE_RECOMMENDATION_S} s: never picked up"}],
    )
    calls = LLMCall.objects.filter(status=LLMCall.Status.STARTED, started_at__lt=cutoff).update(
        status=LLMCall.Status.FAILED, error_class="abandoned", error_message=message, finished_at=now,
    )
    return {"recommendations": running + queued, "calls": calls}
