"""Answering a recommendation: now, from the response cache, from an identical request in flight,
or queued for the cluster. API views and tasks call these, nothing else.

Every request has exactly one Recommendation row; how it is finished, failed and reaped is
energy.recommendation_records."""

import asyncio
import copy
import logging
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from energy import metrics, response_cache, shutdown
from energy.calls import RecordingCaller
from energy.client_errors import client_errors
from energy.llm.base import Route
from energy.models import ApiKey, Recommendation
from energy.offers import build_inputs
from energy.pipeline.events import PipelineEvents
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.orchestrator import PipelineResult, run_pipeline
from energy.pipeline.runner import ms_since
from energy.rate_limits import Limits, QueueFull
from energy.recommendation_records import (
    RecommendationFailed,
    failure_errors,
    record_cancelled,
    record_failure,
    record_success,
)
from energy.response_cache import Cached, Outcome
from energy.schemas import RecommendationIn

logger = logging.getLogger(__name__)
UNFINISHED = (Recommendation.Status.QUEUED, Recommendation.Status.RUNNING)

def resolve_route(mode: str, request_key: str = "") -> Route:
    """The route a request pins when it starts; the resolver lives in the catalog app. The
    request key decides the canary arm, so a retry with the same key gets the same models."""
    return import_string(settings.ENERGY_ROUTE_RESOLVER)(mode, request_key)


def _prepare(payload: RecommendationIn, request_key: str) -> tuple[RecommendationInputs, Route]:
    return build_inputs(payload), resolve_route(payload.mode, request_key)


@dataclass
class Opened:
    """A request recorded: its row, inputs and pinned route; with `answer` when the response
    cache already had it (the row is then finished), else `cache_key` when the cache missed."""

    recommendation: Recommendation
    inputs: RecommendationInputs
    route: Route
    cache_key: str | None = None
    answer: dict[str, Any] | None = None


def open_request(payload: RecommendationIn, *, api_key_id: int | None, request_id: str,
                 look_up: bool = False) -> Opened:
    """Validate, pin the route and record the request, in one trip to the database. With
    `look_up`, a request the response cache answers is recorded already answered: one write."""
    started = time.perf_counter()
    inputs, route = _prepare(payload, request_id)
    recommendation = Recommendation(
        request_id=request_id, api_key_id=api_key_id, mode=payload.mode, status=Recommendation.Status.RUNNING,
        inputs=payload.model_dump(mode="json"), route=route.as_dict(), started_at=timezone.now(),
    )
    opened = Opened(recommendation, inputs, route)
    if look_up and response_cache.enabled():
        opened.cache_key = response_cache.request_key(payload, inputs, route)
        cached = response_cache.look_up(opened.cache_key)
        if cached is not None:
            opened.answer = cached_answer(recommendation, cached, opened.cache_key, started)
            metadata = opened.answer["metadata"]
            recommendation.status, recommendation.finished_at = Recommendation.Status.SUCCEEDED, timezone.now()
            recommendation.cache_hit, recommendation.output, recommendation.execution_ms = True, opened.answer, \
                metadata["execution_ms"]
            recommendation.models_used, recommendation.errors, recommendation.fallbacks = \
                metadata["models"], metadata["errors"], metadata["fallbacks"]
    recommendation.save(force_insert=True)
    return opened


async def recommend(payload: RecommendationIn, *, api_key_id: int | None, request_id: str) -> dict[str, Any]:
    """Answer a recommendation now. Bad references (an unknown plan id) raise before anything is written."""
    opened = await sync_to_async(open_request)(payload, api_key_id=api_key_id, request_id=request_id, look_up=True)
    if opened.answer is not None:
        metrics.count_cache_lookup(hit=True)
        return opened.answer
    return await answer(opened.recommendation, payload, opened.inputs, opened.route, missed_key=opened.cache_key)


async def start(payload: RecommendationIn, *, api_key_id: int | None,
                request_id: str) -> tuple[Recommendation, RecommendationInputs, Route]:
    """Record a request to answer now, its route pinned. Bad references (an unknown plan id)
    raise before anything is written."""
    opened = await sync_to_async(open_request)(payload, api_key_id=api_key_id, request_id=request_id)
    return opened.recommendation, opened.inputs, opened.route


async def answer(recommendation: Recommendation, payload: RecommendationIn, inputs: RecommendationInputs, route: Route,
                 *, track_progress: bool = False, events: PipelineEvents | None = None,
                 missed_key: str | None = None) -> dict[str, Any]:
    """From the response cache, from an identical request in flight, or by running the pipeline.
    `events` hears the pipeline's progress, when this request runs it. `missed_key`: the request
    key, already looked up in the cache and not found."""
    if not response_cache.enabled():
        return await execute(recommendation, inputs, route, track_progress=track_progress, events=events)
    started = time.perf_counter()
    key = missed_key or response_cache.request_key(payload, inputs, route)
    looked_up = missed_key is not None
    try:
        while True:
            cached = None if looked_up else await response_cache.lookup(key)
            looked_up = False
            if cached is not None:
                return await serve_cached(recommendation, cached, key, started)
            flight = response_cache.in_flight.joinable(key)
            if flight is None:
                break
            # Shielded: a follower that goes away must not cancel the execution others wait for.
            outcome: Outcome = await asyncio.shield(flight)
            if outcome.response is not None:
                return await serve_cached(recommendation, Cached(outcome.response, outcome.finished_at), key, started,
                                          shared=True)
            if outcome.failure is not None:
                await record_failure(recommendation.pk, outcome.failure.errors, execution_ms=ms_since(started))
                raise type(outcome.failure)(recommendation.pk, outcome.failure.errors)
            # The leader was cancelled: look again, and lead unless another follower already does.
    except asyncio.CancelledError:
        await record_cancelled(recommendation.pk, started)
        raise
    with response_cache.in_flight.lead(key) as flight:
        # This request answers for its process; another process may already be computing the answer.
        try:
            turn = await response_cache.follow_other_process(key)
        except asyncio.CancelledError:
            await record_cancelled(recommendation.pk, started)
            raise
        if turn.answer is not None:
            flight.set_result(Outcome(response=turn.answer.response, finished_at=turn.answer.stored_at))
            return await serve_cached(recommendation, turn.answer, key, started, shared=True)
        response = None
        try:
            response = await execute(recommendation, inputs, route, track_progress=track_progress, cache_key=key,
                                     events=events)
        except RecommendationFailed as exc:
            flight.set_result(Outcome(failure=exc))
            raise
        finally:
            # Once the answer is stored (or there is none): other processes' followers find it, or
            # take the claim and compute their own.
            storing = response if response is not None and response_cache.cacheable(response) else None
            if storing is not None or turn.claimed:
                await asyncio.shield(response_cache.settle(key, storing, release_claim=turn.claimed))
        flight.set_result(Outcome(response=response, finished_at=time.time()))
        return response


class Progress(PipelineEvents):
    """Each stage's status (`running`, `done`), and each finished stage's model and timings, kept
    on the row as they change when `track` (a queued request, which a client follows by polling
    or through its event stream), and passed on to `listener`."""

    def __init__(self, recommendation_id: UUID, *, track: bool, listener: PipelineEvents | None):
        self.recommendation_id = recommendation_id
        self.track = track
        self.listener = listener or PipelineEvents()
        self.stages: dict[str, str] = {}
        self.models: dict[str, str] = {}
        self.performance: dict[str, dict[str, Any]] = {}

    async def _set(self, stage: str, status: str) -> None:
        self.stages[stage] = status
        if self.track:
            await Recommendation.objects.filter(pk=self.recommendation_id).aupdate(
                progress=dict(self.stages), models_used=dict(self.models), performance=dict(self.performance))

    async def facts_ready(self, facts) -> None:
        await self.listener.facts_ready(facts)

    async def stage_started(self, stage: str, model_key: str) -> None:
        await self._set(stage, "running")
        await self.listener.stage_started(stage, model_key)

    async def stage_finished(self, stage: str, result) -> None:
        metrics.observe_stage(stage, result.model_key, result.timings["total_ms"])
        self.models[stage] = result.model_key
        self.performance[stage] = result.timings
        await self._set(stage, "done")
        await self.listener.stage_finished(stage, result)

    async def council_step(self, stage: str, step: str, data: dict) -> None:
        await self.listener.council_step(stage, step, data)

    async def narrative_text(self, plan_id: int, model_key: str, text: str) -> None:
        await self.listener.narrative_text(plan_id, model_key, text)


async def execute(recommendation: Recommendation, inputs: RecommendationInputs, route: Route, *,
                  track_progress: bool = False, cache_key: str | None = None,
                  events: PipelineEvents | None = None) -> dict[str, Any]:
    if cache_key is not None:
        metrics.count_cache_lookup(hit=False)
    started = time.perf_counter()
    reporter = Progress(recommendation.pk, track=track_progress, listener=events)
    progress = reporter.stages
    caller = RecordingCaller(recommendation_id=recommendation.pk, batch_finishes=True)
    try:
        result = await run_pipeline(inputs, route=route, caller=caller, events=reporter)
    except (Exception, asyncio.CancelledError) as exc:
        errors = failure_errors(exc)
        if not isinstance(exc, asyncio.CancelledError):
            logger.exception("recommendation %s failed", recommendation.pk)
        # Shielded, so that a cancelled request still ends `failed` while its task is torn down.
        await asyncio.shield(record_failure(recommendation.pk, errors, calls=caller, progress=progress,
                                            execution_ms=ms_since(started)))
        if isinstance(exc, asyncio.CancelledError):
            raise
        raise RecommendationFailed(recommendation.pk, errors) from exc
    execution_ms = ms_since(started)
    # What the route resolver worked around (e.g. a stored policy it could not apply) first.
    errors = [*recommendation.route.get("warnings", []), *result.errors]
    response = build_response(recommendation, result, errors, execution_ms, cache_key)
    # The row keeps the errors' detail for operators; the answer (and `output`) tells them in client terms.
    await record_success(
        recommendation.pk, calls=caller, output=response, performance=result.performance, models_used=result.models,
        errors=errors, fallbacks=result.fallbacks, progress=progress, execution_ms=execution_ms,
    )
    return response


def build_response(recommendation: Recommendation, result: PipelineResult, errors: list[dict[str, Any]],
                   execution_ms: float, cache_key: str | None = None) -> dict[str, Any]:
    return {
        "id": str(recommendation.pk),
        "data": result.data,
        "metadata": {
            "execution_ms": execution_ms,
            "facts_ms": result.facts_ms,
            "timestamp": timezone.now().isoformat(),
            "request_id": recommendation.request_id,
            "errors": client_errors(errors),
            "models": result.models,
            "fallbacks": result.fallbacks,
            "narrative_sources": result.narrative_sources,
            "route_version": recommendation.route.get("version", ""),
            "cache": {"hit": False} if cache_key is None else {"hit": False, "key": response_cache.short(cache_key)},
        },
        "performance": result.performance,
    }


async def serve_cached(recommendation: Recommendation, cached: Cached, key: str, started: float, *,
                       shared: bool = False) -> dict[str, Any]:
    """Another request's answer, as this request's own: its id, request id, time and row. The row
    has `cache_hit` set and no LLMCall, so latency statistics never count it; `performance`
    stays the breakdown of the execution that produced the answer."""
    metrics.count_cache_lookup(hit=True)
    response = cached_answer(recommendation, cached, key, started, shared=shared)
    metadata = response["metadata"]
    await record_success(
        recommendation.pk, cache_hit=True, output=response, models_used=metadata["models"], errors=metadata["errors"],
        fallbacks=metadata["fallbacks"], execution_ms=metadata["execution_ms"],
    )
    return response


def cached_answer(recommendation: Recommendation, cached: Cached, key: str, started: float, *,
                  shared: bool = False) -> dict[str, Any]:
    response = cached.response if cached.private else copy.deepcopy(cached.response)
    response["id"] = str(recommendation.pk)
    response["metadata"].update(
        execution_ms=ms_since(started), timestamp=timezone.now().isoformat(), request_id=recommendation.request_id,
        cache={"hit": True, "shared": shared, "key": response_cache.short(key), "age_s": cached.age_s},
    )
    return response


@transaction.atomic
def queue_recommendation(payload: RecommendationIn, *, api_key_id: int | None, request_id: str) -> Recommendation:
    """Record the request and hand it to the task queue once the row is committed. A key that
    already has its most requests queued or running is refused (QueueFull), with no row written."""
    build_inputs(payload)  # reject unknown plan ids now, not in the worker
    if api_key_id is not None:
        refuse_beyond_queue_cap(api_key_id)
    recommendation = Recommendation.objects.create(
        request_id=request_id, api_key_id=api_key_id, mode=payload.mode, status=Recommendation.Status.QUEUED,
        inputs=payload.model_dump(mode="json"),
    )
    transaction.on_commit(lambda: enqueue_recommendation(str(recommendation.pk)))
    return recommendation


def refuse_beyond_queue_cap(api_key_id: int) -> None:
    """Inside the queuing transaction: the key's row is locked first, so two requests of one key
    count in turn (SQLite's IMMEDIATE transactions already take turns)."""
    key = ApiKey.objects.select_for_update().get(pk=api_key_id)
    cap = Limits.of(key).max_queued
    if cap and Recommendation.objects.filter(api_key_id=api_key_id, status__in=UNFINISHED).count() >= cap:
        raise QueueFull(cap)


def run_queued_recommendation(recommendation_id: str) -> None:
    """Claim a queued recommendation (so two workers never run it twice), pin its route, answer it.
    A worker that is stopping hands the request back to the queue instead."""
    if shutdown.requested():
        enqueue_recommendation(recommendation_id)
        return
    claimed = Recommendation.objects.filter(pk=recommendation_id, status=Recommendation.Status.QUEUED).update(
        status=Recommendation.Status.RUNNING, started_at=timezone.now(),
    )
    if claimed != 1:
        return
    recommendation = Recommendation.objects.get(pk=recommendation_id)
    try:
        payload = RecommendationIn.model_validate(recommendation.inputs)
        inputs, route = _prepare(payload, recommendation.request_id)
    except Exception as exc:  # e.g. the current plan was deleted while the request waited
        Recommendation.objects.filter(pk=recommendation_id).update(
            status=Recommendation.Status.FAILED, finished_at=timezone.now(), errors=failure_errors(exc),
        )
        return
    recommendation.route = route.as_dict()
    recommendation.save(update_fields=["route"])
    try:
        async_to_sync(shutdown.interruptible)(answer(recommendation, payload, inputs, route, track_progress=True))
    except RecommendationFailed:  # already recorded as failed
        pass
    except shutdown.ShuttingDown:
        # Cut short by the worker stopping (its calls are recorded as cancelled): the request is
        # not the client's failure, so it goes back to the queue for the next worker.
        Recommendation.objects.filter(pk=recommendation_id).exclude(status=Recommendation.Status.SUCCEEDED).update(
            status=Recommendation.Status.QUEUED, started_at=None, finished_at=None, errors=[], progress={},
        )
        enqueue_recommendation(recommendation_id)


def enqueue_recommendation(recommendation_id: str) -> None:
    async_task("energy.tasks.run_recommendation", recommendation_id)
