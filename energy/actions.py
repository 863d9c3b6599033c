"""Every write of the recommendation domain. API views and tasks call these, nothing else."""

import contextlib
import logging
import time
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from energy.calls import RecordingCaller
from energy.llm.base import Route
from energy.models import Recommendation
from energy.offers import build_inputs
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.orchestrator import PipelineResult, run_pipeline
from energy.pipeline.runner import StageFailed
from energy.schemas import RecommendationIn

logger = logging.getLogger(__name__)


class RecommendationFailed(Exception):
    def __init__(self, recommendation_id: UUID, errors: list[dict[str, Any]]):
        super().__init__(f"recommendation {recommendation_id} failed")
        self.recommendation_id = recommendation_id
        self.errors = errors


def resolve_route(mode: str, request_key: str = "") -> Route:
    """The route a request pins when it starts; the resolver lives in the catalog app. The
    request key decides the canary arm, so a retry with the same key gets the same models."""
    return import_string(settings.ENERGY_ROUTE_RESOLVER)(mode, request_key)


def _prepare(payload: RecommendationIn, request_key: str) -> tuple[RecommendationInputs, Route]:
    return build_inputs(payload), resolve_route(payload.mode, request_key)


async def recommend(payload: RecommendationIn, *, api_key_id: int | None, request_id: str) -> dict[str, Any]:
    """Run a recommendation now. Bad references (an unknown plan id) raise before anything is written."""
    inputs, route = await sync_to_async(_prepare)(payload, request_id)
    recommendation = await Recommendation.objects.acreate(
        request_id=request_id, api_key_id=api_key_id, mode=payload.mode, status=Recommendation.Status.RUNNING,
        inputs=payload.model_dump(mode="json"), route=route.as_dict(), started_at=timezone.now(),
    )
    return await execute(recommendation, inputs, route)


async def execute(recommendation: Recommendation, inputs: RecommendationInputs, route: Route, *,
                  track_progress: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    progress: dict[str, str] = {}

    async def on_progress(stage: str, status: str) -> None:
        progress[stage] = status
        if track_progress:
            await Recommendation.objects.filter(pk=recommendation.pk).aupdate(progress=dict(progress))

    try:
        result = await run_pipeline(inputs, route=route, caller=RecordingCaller(recommendation_id=recommendation.pk),
                                    on_progress=on_progress)
    except Exception as exc:
        errors = exc.errors if isinstance(exc, StageFailed) else [{"kind": type(exc).__name__, "message": str(exc)}]
        logger.exception("recommendation %s failed", recommendation.pk)
        await Recommendation.objects.filter(pk=recommendation.pk).aupdate(
            status=Recommendation.Status.FAILED, errors=errors, progress=progress, finished_at=timezone.now(),
            execution_ms=(time.perf_counter() - started) * 1000,
        )
        raise RecommendationFailed(recommendation.pk, errors) from exc
    execution_ms = round((time.perf_counter() - started) * 1000, 3)
    response = build_response(recommendation, result, execution_ms)
    await Recommendation.objects.filter(pk=recommendation.pk).aupdate(
        status=Recommendation.Status.SUCCEEDED, output=response, performance=result.performance,
        models_used=result.models, errors=result.errors, fallbacks=result.fallbacks, progress=progress,
        execution_ms=execution_ms, finished_at=timezone.now(),
    )
    return response


def build_response(recommendation: Recommendation, result: PipelineResult, execution_ms: float) -> dict[str, Any]:
    return {
        "id": str(recommendation.pk),
        "data": result.data,
        "metadata": {
            "execution_ms": execution_ms,
            "facts_ms": result.facts_ms,
            "timestamp": timezone.now().isoformat(),
            "request_id": recommendation.request_id,
            "errors": result.errors,
            "models": result.models,
            "fallbacks": result.fallbacks,
            "route_version": recommendation.route.get("version", ""),
            "cache": {"hit": False},
        },
        "performance": result.performance,
    }


@transaction.atomic
def queue_recommendation(payload: RecommendationIn, *, api_key_id: int | None, request_id: str) -> Recommendation:
    """Record the request and hand it to the task queue once the row is committed."""
    build_inputs(payload)  # reject unknown plan ids now, not in the worker
    recommendation = Recommendation.objects.create(
        request_id=request_id, api_key_id=api_key_id, mode=payload.mode, status=Recommendation.Status.QUEUED,
        inputs=payload.model_dump(mode="json"),
    )
    transaction.on_commit(lambda: async_task("energy.tasks.run_recommendation", str(recommendation.pk)))
    return recommendation


def run_queued_recommendation(recommendation_id: str) -> None:
    """Claim a queued recommendation (so two workers never run it twice), pin its route, run it."""
    claimed = Recommendation.objects.filter(pk=recommendation_id, status=Recommendation.Status.QUEUED).update(
        status=Recommendation.Status.RUNNING, started_at=timezone.now(),
    )
    if claimed != 1:
        return
    recommendation = Recommendation.objects.get(pk=recommendation_id)
    try:
        inputs, route = _prepare(RecommendationIn.model_validate(recommendation.inputs), recommendation.request_id)
    except Exception as exc:  # e.g. the current plan was deleted while the request waited
        Recommendation.objects.filter(pk=recommendation_id).update(
            status=Recommendation.Status.FAILED, finished_at=timezone.now(),
            errors=[{"kind": type(exc).__name__, "message": str(exc)}],
        )
        return
    recommendation.route = route.as_dict()
    recommendation.save(update_fields=["route"])
    with contextlib.suppress(RecommendationFailed):  # already recorded as failed
        async_to_sync(execute)(recommendation, inputs, route, track_progress=True)
