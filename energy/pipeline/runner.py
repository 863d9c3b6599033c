"""Run one stage along its fallback chain: build the prompt, call the model, validate the
answer; on any failure record why and try the next model. Each step is timed. An answer used
in part (some plans' whys replaced by the stage) serves the stage, and each refused part is
recorded like a refused answer, with its plan id."""

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings

from energy.llm.base import Completion, ModelRef, ProviderError
from energy.pipeline.calling import ModelCaller, call_all, ms_since, tell_rejected
from energy.pipeline.council import CouncilBelowMinimum, CouncilListener, CouncilOutcome, ignore, run_council
from energy.pipeline.facts import Facts
from energy.pipeline.stages.base import OutputInvalid, RejectedPart, Stage

perf_log = logging.getLogger("energy.perf")
ANSWER_EXCERPT_CHARS = 300


class StageFailed(Exception):
    """Every model in the chain failed, the rules engine included (a bug, never a model)."""

    def __init__(self, stage: str, errors: list[dict[str, str]]):
        super().__init__(f"every model failed for stage {stage}")
        self.stage = stage
        self.errors = errors


@dataclass
class StageResult:
    output: dict[str, Any]
    model_key: str
    timings: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)
    fallbacks: list[dict[str, str]] = field(default_factory=list)
    # Every model tried, with its own timings: a benchmark measures the candidate's attempt
    # even when its answer was rejected and the rules engine served the stage. An attempt's
    # `rejected_parts` ([{"plan_id", "kind"}]) are the parts of a used answer the stage refused.
    attempts: list[dict[str, Any]] = field(default_factory=list)


def stage_timings(model: ModelRef, prompt_ms: float, inference_ms: float, parse_ms: float, total_ms: float,
                  completions: list[Completion]) -> dict[str, Any]:
    input_tokens = sum(c.input_tokens for c in completions)
    output_tokens = sum(c.output_tokens for c in completions)
    timings = {
        "prompt_build_ms": prompt_ms,
        "inference_ms": inference_ms,
        "parse_ms": parse_ms,
        "total_ms": total_ms,
        # No completions at all when there is nothing to ask (a narrative for an empty ranking).
        "ttft_ms": None if not completions or completions[0].ttft_ms is None else round(completions[0].ttft_ms, 3),
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cost_usd": float(model.cost_usd(input_tokens, output_tokens).quantize(Decimal("1e-8"))),
    }
    if completions:
        # The model's own time: the longest of the calls made together, as the provider adapter
        # timed it (request sent → last byte), without the recording, admission, client and
        # connection set-up around it that `inference_ms` includes. Benchmarks report this.
        timings["upstream_ms"] = round(max(c.inference_ms - c.connect_ms for c in completions), 3)
        connect_ms = max(c.connect_ms for c in completions)
        if connect_ms > 0:
            timings["connect_ms"] = round(connect_ms, 3)
    init_ms = sum(c.init_ms for c in completions)
    if init_ms > 0:
        timings["init_ms"] = round(init_ms, 3)
    # Waiting for the inference engine, part of inference_ms as the stage saw it: the longest
    # wait of the calls made together.
    queue_ms = max((c.queue_ms for c in completions), default=0.0)
    if queue_ms > 0:
        timings["queue_ms"] = round(queue_ms, 3)
    return timings


TextListener = Callable[[str, int, str], Awaitable[None]]


async def run_stage(stage: Stage, facts: Facts, chain: tuple[ModelRef, ...], caller: ModelCaller,
                    upstream: dict[str, Any], *, on_text: TextListener | None = None,
                    on_council: CouncilListener = ignore) -> StageResult:
    """`on_text(model key, request index, text)` hears completion-style answers as they stream;
    `on_council(step, data)` hears a council's answers, rankings and synthesis."""
    stage_started = time.perf_counter()
    errors: list[dict[str, str]] = []
    fallbacks: list[dict[str, str]] = []
    attempts: list[dict[str, Any]] = []
    for position, model in enumerate(chain):
        if model.council is not None:
            started = time.perf_counter()
            try:
                outcome = await run_council(stage, facts, model, caller, upstream, listener=on_council)
            except CouncilBelowMinimum as exc:
                errors += [*exc.errors, {"stage": stage.name, "model": model.key, "kind": exc.error_class,
                                         "message": str(exc)}]
                fallbacks += exc.fallbacks
                attempts.append({"model": model.key, "ok": False, "kind": exc.error_class, "rejected_parts": [],
                                 **council_timings(exc.calls, [], ms_since(started), ms_since(started))})
                if position + 1 < len(chain):
                    fallbacks.append({"stage": stage.name, "from": model.key, "to": chain[position + 1].key,
                                      "reason": exc.error_class})
                continue
            return council_result(stage, model, outcome, errors, fallbacks, attempts, ms_since(started),
                                  ms_since(stage_started))
        attempt_started = started = time.perf_counter()
        requests = stage.build_requests(facts, model, upstream)
        if on_text is not None and model.prompt_style == "completion":
            requests = [replace(r, on_text=partial(on_text, model.key, i)) for i, r in enumerate(requests)]
        prompt_ms = ms_since(started)
        completions: list[Completion] = []
        parse_ms = 0.0
        try:
            started = time.perf_counter()
            completions = await call_all(caller, model, requests)
            inference_ms = ms_since(started)
            started = time.perf_counter()
            output = stage.parse([c.text for c in completions], facts, model, upstream)
            parse_ms = ms_since(started)
        except (ProviderError, OutputInvalid) as exc:
            kind = exc.kind if isinstance(exc, OutputInvalid) else exc.error_class
            error = {"stage": stage.name, "model": model.key, "kind": kind, "message": str(exc)}
            if isinstance(exc, OutputInvalid):
                # What the model said, so an operator can see why it was rejected.
                error["answer"] = " | ".join(c.text.strip() for c in completions)[:ANSWER_EXCERPT_CHARS]
                parse_ms = ms_since(started)
                await tell_rejected(caller, model, completions, exc)
            else:
                inference_ms = ms_since(started)
                if getattr(exc, "retry_after_s", None) is not None:
                    # When the model will take calls again (its breaker, its quota): an outage
                    # answer's Retry-After comes from these.
                    error["retry_after_s"] = round(exc.retry_after_s, 3)
            errors.append(error)
            attempts.append({"model": model.key, "ok": False, "kind": kind, "rejected_parts": [],
                             **stage_timings(model, prompt_ms, inference_ms, parse_ms, ms_since(attempt_started), completions)})
            if position + 1 < len(chain):
                fallbacks.append({"stage": stage.name, "from": model.key, "to": chain[position + 1].key, "reason": kind})
            continue
        timings = stage_timings(model, prompt_ms, inference_ms, parse_ms, ms_since(stage_started), completions)
        rejected_parts: list[RejectedPart] = output.get("rejected_parts", [])
        attempts.append({"model": model.key, "ok": True, "kind": "",
                         "rejected_parts": [{"plan_id": p.plan_id, "kind": p.error.kind} for p in rejected_parts],
                         **stage_timings(model, prompt_ms, inference_ms, parse_ms, ms_since(attempt_started), completions)})
        log_perf(stage.name, model.key, timings)
        for part in rejected_parts:
            errors.append({"stage": stage.name, "model": model.key, "kind": part.error.kind, "message": str(part.error),
                           "answer": part.answer[:ANSWER_EXCERPT_CHARS], "plan_id": part.plan_id})
            if part.completion is not None:
                # That call's whole answer was refused; a chat answer used in part was not.
                await tell_rejected(caller, model, [completions[part.completion]], part.error)
        return StageResult(output=output, model_key=model.key, timings=timings, errors=errors, fallbacks=fallbacks,
                           attempts=attempts)
    raise StageFailed(stage.name, errors)


def council_timings(calls: list, served: list[Completion], inference_ms: float, total_ms: float) -> dict[str, Any]:
    """A council's stage figures: tokens and cost are the sums over all its calls (each at its own
    model's prices); its prompts are built and its answers parsed inside its steps, whose wall
    time is `inference_ms` (and `upstream_ms`, what a benchmark counts); TTFT is the served answer's."""
    completions = [c for call in calls for c in call.completions]
    cost = sum((call.cost_usd for call in calls), Decimal(0))
    return {
        "prompt_build_ms": 0.0, "inference_ms": inference_ms, "parse_ms": 0.0, "total_ms": total_ms,
        "ttft_ms": None if not served or served[0].ttft_ms is None else round(served[0].ttft_ms, 3),
        "input_tokens": sum(c.input_tokens for c in completions),
        "output_tokens": sum(c.output_tokens for c in completions),
        "cost_usd": float(cost.quantize(Decimal("1e-8"))),
        "upstream_ms": inference_ms,
    }


def council_result(stage: Stage, council: ModelRef, outcome: CouncilOutcome, errors: list, fallbacks: list,
                   attempts: list, attempt_ms: float, stage_ms: float) -> StageResult:
    """The stage served by a council: its degradations in the fallbacks, its answer's refused parts
    in the errors (the council told the caller of them already), its members in the timings."""
    errors += outcome.errors
    fallbacks += outcome.fallbacks
    rejected_parts: list[RejectedPart] = outcome.output.get("rejected_parts", [])
    figures = council_timings(outcome.calls, outcome.served_completions, attempt_ms, attempt_ms)
    attempts.append({"model": council.key, "ok": True, "kind": "",
                     "rejected_parts": [{"plan_id": p.plan_id, "kind": p.error.kind} for p in rejected_parts], **figures})
    timings = {**figures, "total_ms": stage_ms, "council": outcome.attribution}
    log_perf(stage.name, council.key, {k: v for k, v in timings.items() if k != "council"})
    for part in rejected_parts:
        errors.append({"stage": stage.name, "model": outcome.served_by.key, "kind": part.error.kind,
                       "message": str(part.error), "answer": part.answer[:ANSWER_EXCERPT_CHARS], "plan_id": part.plan_id})
    return StageResult(output=outcome.output, model_key=council.key, timings=timings, errors=errors,
                       fallbacks=fallbacks, attempts=attempts)


def log_perf(stage: str, model_key: str, timings: dict[str, Any]) -> None:
    fields = " ".join(f"{name}={value}" for name, value in timings.items())
    perf_log.info("[PERF] stage=%s model=%s %s", stage, model_key, fields)
    threshold = settings.STAGE_SLOW_MS.get(stage)
    if threshold is not None and timings["total_ms"] > threshold:
        perf_log.warning("[PERF] stage=%s is slow: total_ms=%s over the %s ms threshold", stage, timings["total_ms"], threshold)
