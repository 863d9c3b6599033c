"""Call models the way production does, recording every upstream attempt as an LLMCall row:
written before the attempt and finished after it (a live request's succeeded calls together with
its own row, in one write: `batch_finishes`), so a row left in `started` means the process died
mid-call (or before its request's last write) and nothing is lost silently.

For remote providers this is also the one retry layer (adapters make a single attempt each):
retries with backoff, a per-call timeout and the request's deadline, the model's circuit breaker
and the provider's limits, both those of the caller's scope (live or benchmark,
energy.llm.scopes). A call refused before it is sent (circuit open, provider exhausted,
no time left, the model already failed this request) raises without a row: rows are upstream
attempts, and the runner records why it fell back in the recommendation's errors.

A caller serves one request, and a model that failed one of its calls is not called again for
it: later stages skip it (`FailedEarlier`), and a concurrent call of the same model stops
retrying. Each model is tried at most once per request along its fallback chain.
"""

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from energy import metrics
from energy.engine import admission
from energy.llm import concurrency, dispatch, limits
from energy.llm.base import (
    Completion,
    CompletionRequest,
    DeadlineExceeded,
    FailedEarlier,
    ModelRef,
    ProviderError,
    ProviderExhausted,
    ProviderHTTPError,
    ProviderTimeout,
    StreamIncomplete,
)
from energy.llm.breaker import SAYS_NOTHING, CircuitBreaker, Permit, failure_signal
from energy.llm.deadline import Deadline
from energy.llm.retry import RetryPolicy, is_daily_limit, seconds_until_quota_reset
from energy.llm.scopes import LIVE, Scope
from energy.models import LLMCall

# The rules engine runs in-process in microseconds; it is not a provider call.
UNRECORDED_KINDS = {"rules"}
# Providers across a network, whose failures retries, timeouts and breakers help with.
REMOTE_KINDS = {"openai_compatible", "cloudflare"}
# The inference engine, on this host: no retries (it fails by being busy or down, and a retry
# helps with neither), admission by its measured service time instead, and a cut at the deadline.
ENGINE_KINDS = {"llama_cpp"}

Sleep = Callable[[float], Awaitable[Any]]


class RetryWithheld(Exception):
    """A retry not made for a reason outside the model; `error` is what the call ends with."""

    def __init__(self, error: ProviderError):
        super().__init__(str(error))
        self.error = error


def status_for(exc: BaseException) -> str:
    if isinstance(exc, ProviderTimeout):
        return LLMCall.Status.TIMEOUT
    if isinstance(exc, StreamIncomplete):
        return LLMCall.Status.INCOMPLETE
    return LLMCall.Status.FAILED


class RecordingCaller:
    """The pipeline's ModelCaller for real traffic, benchmarks and probes. One caller serves one
    request: its deadline (a time.monotonic() value) defaults to REQUEST_DEADLINE_S from now.
    `wall_clock` is the epoch clock of the provider limits shared through the cache. `background`
    callers (benchmarks, probes) give way to live requests on the inference engine. `scope`: whose
    breakers and provider pauses the calls count in and obey (a benchmark's cannot trip live
    traffic's)."""

    def __init__(self, *, recommendation_id: Any = None, context: str = "", background: bool = False,
                 scope: Scope = LIVE, deadline: float | None = None, batch_finishes: bool = False,
                 policy: RetryPolicy | None = None, breaker: CircuitBreaker | None = None,
                 sleep: Sleep = asyncio.sleep, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time):
        self.recommendation_id = recommendation_id
        self.context = context
        # Benchmark units and probes: the engine serves them only when live requests leave it room.
        self.background = background
        self.scope = scope
        self.deadline = Deadline(clock() + settings.REQUEST_DEADLINE_S if deadline is None else deadline, clock)
        self.policy = policy or RetryPolicy.from_settings()
        self.breaker = breaker or CircuitBreaker(scope=scope)
        self.sleep = sleep
        self.wall_clock = wall_clock
        # model key -> how it failed this request ("timeout in usage_summary")
        self.failed_models: dict[str, str] = {}
        # `batch_finishes`: a succeeded call's row is finished together with its request's row
        # (`write_finished`, in the request's last write) rather than by a write of its own. Its
        # `started` row is written before the call either way, so a process that dies first
        # leaves it for the reaper (failed, abandoned): recorded, never lost.
        self.batch_finishes = batch_finishes
        self.unfinished: dict[int, dict[str, Any]] = {}  # call pk -> the fields that finish its row

    async def complete(self, model: ModelRef, request: CompletionRequest) -> Completion:
        if model.provider_kind in UNRECORDED_KINDS:
            return await dispatch.complete(model, request)
        failed_earlier = self.failed_models.get(model.key)
        if failed_earlier is not None:
            raise FailedEarlier(f"{model.key} already failed this request ({failed_earlier})")
        try:
            return await self._complete(model, request)
        except ProviderError as exc:
            if not isinstance(exc, SAYS_NOTHING):  # refused before any upstream call: ask again later
                self.failed_models.setdefault(model.key, f"{exc.error_class} in {request.stage}")
            raise

    async def reject(self, model: ModelRef, completions: list[Completion], kind: str, message: str) -> None:
        """The stage rejected the model's answer (invalid JSON, an unknown plan, a wrong number):
        its rows say so, and its breaker counts the call as failed, so a model that answers
        garbage is cut off like one that answers 500."""
        call_ids = [c.call_id for c in completions if c.call_id is not None]
        rejected = {"status": LLMCall.Status.REJECTED, "error_class": kind[:100], "error_message": message[:2000]}
        written = [pk for pk in call_ids if pk not in self.unfinished]
        for pk in call_ids:
            if pk in self.unfinished:
                self.unfinished[pk].update(rejected)
        if written:
            await LLMCall.objects.filter(pk__in=written).aupdate(**rejected)
        for _ in call_ids:
            metrics.count_llm_call(model.key, LLMCall.Status.REJECTED)
        if model.provider_kind in REMOTE_KINDS:
            await shared_state(self.breaker.record_rejection)(model.key, [c.breaker_ticket for c in completions])

    async def _complete(self, model: ModelRef, request: CompletionRequest) -> Completion:
        if model.provider_kind in ENGINE_KINDS:
            return await self._engine_call(model, request)
        if model.provider_kind not in REMOTE_KINDS:
            self._ensure_time_left()
            return await self._attempt(model, request, attempt=1, timeout_s=None)
        permit = await self._admit(model)
        failed: bool | None = None  # what the last attempt said about the model
        completion: Completion | None = None
        try:
            policy = replace(self.policy, max_attempts=1) if permit.probe else self.policy
            attempt = 1
            while True:
                try:
                    completion = await self._limited_attempt(model, request, attempt, permit)
                except ProviderError as exc:
                    # An attempt cut by the request deadline says nothing about the model, so
                    # it must not erase what the earlier attempts said (e.g. they all hung).
                    signal = failure_signal(exc)
                    failed = failed if signal is None else signal
                    try:
                        await self._before_retry(model, exc, attempt, policy)
                    except RetryWithheld:
                        # The retry might have succeeded: this call is no news for the breaker,
                        # or one provider pause would count against it once per call in flight.
                        # It still reached the model, so it ends with what the model answered,
                        # not with the pause (which says "never sent").
                        failed = None
                        raise exc from None
                    attempt += 1
                    continue
                failed = False
                return completion
        finally:
            ticket = await shared_state(self.breaker.record)(permit, failed)
            if completion is not None:
                completion.breaker_ticket = ticket

    async def _engine_call(self, model: ModelRef, request: CompletionRequest) -> Completion:
        """Admitted only if it can finish within the deadline, and cut at the deadline if it does
        not: closing the stream stops the engine's generation."""
        self._ensure_time_left()
        waited_s = await admission.admit(model, request.stage, self.deadline, background=self.background)
        self._ensure_time_left()
        with admission.in_flight(background=self.background):
            return await self._attempt(model, request, attempt=1, timeout_s=math.inf, queued_ms=waited_s * 1000)

    async def _before_retry(self, model: ModelRef, exc: ProviderError, attempt: int, policy: RetryPolicy) -> None:
        """Wait before the next attempt. Raise `exc` when the model's failures leave none (the
        budget is spent, the failure is not transient, its wait is too long, other calls opened
        its breaker or gave up on it for this request); RetryWithheld when its provider was
        paused meanwhile, which says nothing of this call."""
        wait_s = policy.wait_before_retry(exc, attempt, random.random())
        if wait_s is None or not self.deadline.allows(wait_s):
            raise exc
        await self.sleep(wait_s)
        if model.key in self.failed_models or not await shared_state(self.breaker.is_closed)(model.key):
            raise exc
        try:
            await self._wait_for_provider(model)
        except ProviderExhausted as paused:
            raise RetryWithheld(paused) from None
        self._ensure_time_left()

    async def _admit(self, model: ModelRef) -> Permit:
        """Leave to call a remote model: its provider takes calls (a short rate-limit window is
        waited out) and its breaker lets the call through. Both are read in one trip to the
        shared cache when the provider is not blocked, the usual case."""
        self._ensure_time_left()
        while True:
            wait_s, waitable, permit = await shared_state(self._gate)(model)
            if permit is not None:
                return permit
            self._wait_allowed(model, wait_s, waitable)
            await self.sleep(wait_s)
            self._ensure_time_left()

    def _gate(self, model: ModelRef) -> tuple[float, bool, Permit | None]:
        """(the provider's block, whether it may be waited out, None) while it is blocked, else
        (0, True, the breaker's permit); CircuitOpen when the breaker refuses."""
        wait_s, waitable = limits.current_block(model, scope=self.scope, now=self.wall_clock())
        if wait_s:
            return wait_s, waitable, None
        return 0.0, True, self.breaker.admit(model.key)

    def _wait_allowed(self, model: ModelRef, wait_s: float, waitable: bool) -> None:
        if wait_s > self.policy.retry_after_cap_s or not waitable or not self.deadline.allows(wait_s):
            raise ProviderExhausted(f"{model.key}: the provider takes no calls for another {wait_s:.1f} s",
                                    retry_after_s=wait_s)

    async def _wait_for_provider(self, model: ModelRef) -> None:
        """Wait out a provider's rate-limit window when it is short, else fail fast."""
        wait_s, waitable = await shared_state(limits.current_block)(model, scope=self.scope, now=self.wall_clock())
        if not wait_s:
            return
        self._wait_allowed(model, wait_s, waitable)
        await self.sleep(wait_s)

    def _ensure_time_left(self) -> None:
        if self.deadline.remaining() <= 0:
            raise DeadlineExceeded("request deadline: no time left for another call")

    async def _limited_attempt(self, model: ModelRef, request: CompletionRequest, attempt: int,
                               permit: Permit) -> Completion:
        async with concurrency.slot(model, self.deadline):
            # A probe's call ends before its claim lapses, so no second probe can overlap it.
            limit_s = min(model.read_timeout_s, self.breaker.config.probe_timeout_s) if permit.probe else model.read_timeout_s
            self._ensure_time_left()
            return await self._attempt(model, request, attempt=attempt, timeout_s=limit_s)

    async def _attempt(self, model: ModelRef, request: CompletionRequest, *, attempt: int,
                       timeout_s: float | None, queued_ms: float = 0.0) -> Completion:
        """`queued_ms`: how long the call already waited to be sent (engine admission)."""
        # A task of its own: a cancellation while the row is being inserted (in a thread, which
        # finishes regardless) must still find the row to finish.
        creating = asyncio.ensure_future(LLMCall.objects.acreate(
            recommendation_id=self.recommendation_id, context=self.context, stage=request.stage,
            model_key=model.key, provider_kind=model.provider_kind, attempt=attempt, started_at=timezone.now(),
        ))
        started = time.perf_counter()
        try:
            call = await asyncio.shield(creating)
        except asyncio.CancelledError:
            await asyncio.shield(finish_cancelled(creating, started))
            raise
        try:
            completion = await self._call(model, request, timeout_s)
        except asyncio.CancelledError:
            # The request gave up on this call (its other branch failed, the client left, or the
            # worker is stopping): finish the row now, shielded, rather than leave it `started`
            # for the reaper.
            await asyncio.shield(finish_cancelled(creating, started))
            raise
        except Exception as exc:
            # Shielded, like a cancellation above: the request may give up on this call while its
            # failure is being recorded (its other branch failed at the same moment), and the row
            # must still end.
            failure = await asyncio.shield(self._record_failure(call, model, exc, started))
            if failure is exc:
                raise
            raise failure from exc
        return await asyncio.shield(self._record_success(call, model, completion, started, queued_ms))

    async def _record_failure(self, call: LLMCall, model: ModelRef, exc: Exception, started: float) -> Exception:
        failure = await shared_state(self._provider_failure)(model, exc)
        metrics.count_llm_call(model.key, status_for(failure))
        await LLMCall.objects.filter(pk=call.pk).aupdate(
            status=status_for(failure), error_class=getattr(failure, "error_class", type(failure).__name__),
            error_message=str(failure)[:2000], finished_at=timezone.now(),
            duration_ms=(time.perf_counter() - started) * 1000, ttft_ms=getattr(failure, "ttft_ms", None),
        )
        return failure

    async def _record_success(self, call: LLMCall, model: ModelRef, completion: Completion, started: float,
                              queued_ms: float) -> Completion:
        if completion.rate_limit is not None:
            await shared_state(limits.observe)(model, completion.rate_limit, scope=self.scope, now=self.wall_clock())
        completion.call_id = call.pk
        metrics.count_llm_call(model.key, LLMCall.Status.SUCCEEDED)
        completion.queue_ms += queued_ms
        finish = {
            "status": LLMCall.Status.SUCCEEDED, "finished_at": timezone.now(),
            "duration_ms": (time.perf_counter() - started) * 1000, "ttft_ms": completion.ttft_ms,
            "queue_ms": completion.queue_ms if model.provider_kind in ENGINE_KINDS else None,
            "input_tokens": completion.input_tokens, "output_tokens": completion.output_tokens,
            "cost_usd": model.cost_usd(completion.input_tokens, completion.output_tokens),
            "resolved_model": completion.resolved_model[:200],
        }
        if self.batch_finishes:
            self.unfinished[call.pk] = finish
        else:
            await LLMCall.objects.filter(pk=call.pk).aupdate(**finish)
        return completion

    def write_finished(self) -> None:
        """Finish the rows of the calls that succeeded (or were rejected since) and wait for
        their request's write: call it in that write's transaction, then `forget_finished`."""
        for pk, finish in self.unfinished.items():
            LLMCall.objects.filter(pk=pk).update(**finish)

    def forget_finished(self) -> None:
        self.unfinished.clear()

    async def _call(self, model: ModelRef, request: CompletionRequest, timeout_s: float | None) -> Completion:
        """One adapter call, stopped at `timeout_s` or the request's deadline, whichever is first:
        httpx's timeouts bound each read, this bounds the whole call (a slow stream included)."""
        if timeout_s is None:
            return await dispatch.complete(model, request)
        remaining_s = self.deadline.remaining()
        scope = asyncio.timeout(min(timeout_s, remaining_s))
        try:
            async with scope:
                return await dispatch.complete(model, request)
        except TimeoutError as exc:
            if not scope.expired():
                raise
            if remaining_s < timeout_s:
                raise DeadlineExceeded(f"request deadline: cut off after {remaining_s:.2f} s") from exc
            raise ProviderTimeout(f"no complete answer within {timeout_s:g} s") from exc

    def _provider_failure(self, model: ModelRef, exc: Exception) -> Exception:
        """The error to record and raise for a failed attempt; first, what it tells about the provider."""
        if isinstance(exc, ProviderHTTPError):
            now = self.wall_clock()
            limits.observe(model, exc.rate_limit, scope=self.scope, now=now)
            if is_daily_limit(exc):
                reset_s = seconds_until_quota_reset(exc)
                limits.block(model, reset_s, scope=self.scope, now=now, waitable=False)
                return ProviderExhausted(f"{model.key}: daily allocation exceeded ({exc})", retry_after_s=reset_s)
            if exc.status_code in limits.PAUSE_STATUSES and (exc.retry_after_s or 0) > self.policy.retry_after_cap_s:
                # Longer than any request waits: the provider is unusable until then, so no request
                # calls it meanwhile, rather than each finding out with a call of its own. A shorter
                # wait is this call's retry to take; pausing every request in flight for it costs
                # them all that wait (bench.chaos: p50 x3.5 under random 429s, docs/reliability.md).
                limits.block(model, min(exc.retry_after_s, settings.LLM_RATE_LIMIT_MAX_PAUSE_S), scope=self.scope,
                             now=now, waitable=False)
        return exc


def shared_state(function: Callable) -> Callable[..., Awaitable]:
    """`function` run from the event loop on Django's sync thread, as the ORM runs: breakers and
    provider blocks live in the shared cache, which is the database unless Redis is configured."""
    return sync_to_async(function)


async def finish_cancelled(creating: "asyncio.Future[LLMCall]", started: float) -> None:
    call = await creating
    metrics.count_llm_call(call.model_key, "cancelled")
    await LLMCall.objects.filter(pk=call.pk).aupdate(
        status=LLMCall.Status.FAILED, error_class="cancelled", error_message="the request was cancelled",
        finished_at=timezone.now(), duration_ms=(time.perf_counter() - started) * 1000,
    )
