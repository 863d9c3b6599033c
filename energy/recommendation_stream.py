"""Recommendations as Server-Sent Events (`Accept: text/event-stream`).

Events, in order, each with `id:` and a `seq` in its data, counting from 1:
- `accepted`: the recommendation's id and where to read it later;
- `plans`: the reference ranking with exact costs, as soon as the facts are computed (the final
  order is the plan-scoring stage's, in `result`);
- `stage`: a stage `started` (with the first model of its chain) or `finished` (with the model
  that served it, its fallbacks and its timings);
- `token`: a piece of a plan's "why" as the model writes it (completion-style models; provisional,
  the stage may still replace it with the rules engine's why);
- last, `result` (the body the JSON call answers with) or `problem` (the problem the JSON call
  answers with, and its `status`).

A client that goes away cancels the work: the recommendation is recorded as failed with the
kind `cancelled`, and so are its upstream calls.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async

from energy import actions
from energy.client_errors import answer_for_client
from energy.llm.base import Route
from energy.models import Recommendation
from energy.offers import build_inputs
from energy.pipeline.council import STEP_NUMBERS
from energy.pipeline.events import PipelineEvents
from energy.pipeline.facts import Facts, compute_facts
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.runner import StageResult
from energy.recommendation_problems import recommendation_failure
from energy.recommendation_records import RecommendationFailed
from energy.schemas import RecommendationIn

MEDIA_TYPE = "text/event-stream"
# Every `event:` a stream sends, in the order they come (docs/api.md, "Streamed answers").
EVENT_KINDS = ("accepted", "plans", "stage", "council", "token", "result", "problem")
# A comment line this often keeps proxies from closing a quiet stream.
HEARTBEAT_S = 10.0
# A queued request's progress on its row: `running`, then `done`; read this often.
STAGE_STEPS = ["", "running", "done"]
JOB_POLL_S = 0.2


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        body = json.dumps({"seq": self.seq, **self.data}, separators=(",", ":"), default=str)
        return f"id: {self.seq}\nevent: {self.kind}\ndata: {body}\n\n".encode()


class EventChannel(PipelineEvents):
    """Numbers events in the order they happen and hands them to the response's writer."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue()
        self.seq = 0

    def numbered(self, kind: str, data: dict[str, Any]) -> Event:
        """The next event, for a writer that sends it itself."""
        self.seq += 1
        return Event(self.seq, kind, data)

    def send(self, kind: str, data: dict[str, Any]) -> None:
        """The next event, queued for the response's writer."""
        self.queue.put_nowait(self.numbered(kind, data))

    async def facts_ready(self, facts: Facts) -> None:
        self.send("plans", plans_event(facts))

    async def stage_started(self, stage: str, model_key: str) -> None:
        self.send("stage", {"stage": stage, "status": "started", "model": model_key})

    async def stage_finished(self, stage: str, result: StageResult) -> None:
        self.send("stage", {"stage": stage, "status": "finished", "model": result.model_key,
                            "fallbacks": result.fallbacks, "timings": result.timings})

    async def council_step(self, stage: str, step: str, data: dict[str, Any]) -> None:
        # step_number: 1 answers, 2 rankings, 3 synthesis; a stage's steps never go back.
        self.send("council", {"stage": stage, "step": step, "step_number": STEP_NUMBERS[step], **data})

    async def narrative_text(self, plan_id: int, model_key: str, text: str) -> None:
        self.send("token", {"plan_id": plan_id, "model": model_key, "text": text})


def plans_event(facts: Facts) -> dict[str, Any]:
    plans = []
    for rank, plan_id in enumerate(facts.reference_ranking, start=1):
        plan = facts.by_id[plan_id]
        plans.append({
            "rank": rank, "plan_id": plan_id, "plan_name": plan.plan.name, "provider": plan.plan.provider,
            "projected_annual_cost": float(plan.annual_cost),
            "average_monthly_cost": float(plan.average_monthly_cost),
            "annual_savings": None if plan.annual_savings is None else float(plan.annual_savings),
            "renewable_pct": plan.plan.renewable_pct, "contract_months": plan.plan.contract_months,
            "constraints_met": plan.eligible,
        })
    return {"ranking": "reference", "plans": plans}




async def stream(channel: EventChannel, work: Awaitable[dict[str, Any]],
                 problem_for: Callable[[Exception], dict[str, Any] | None]) -> AsyncIterator[bytes]:
    """Write the channel's events while `work` runs, then its `result`, or the `problem` that
    `problem_for` makes of its exception (None: not a problem to answer, raise it). Whatever
    ends the stream early (the client went away) cancels the work and waits for it to record so."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            getter = asyncio.ensure_future(channel.queue.get())
            done, _ = await asyncio.wait({getter, task}, timeout=HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                yield getter.result().encode()
                continue
            getter.cancel()
            if not done:
                yield b": heartbeat\n\n"
                continue
            while not channel.queue.empty():
                yield channel.queue.get_nowait().encode()
            break
        exc = task.exception()
        if exc is None:
            yield channel.numbered("result", task.result()).encode()
            return
        body = problem_for(exc) if isinstance(exc, Exception) else None
        if body is None:
            raise exc
        yield channel.numbered("problem", body).encode()
    finally:
        if not task.done():
            task.cancel()
            # The work records the cancellation itself; a closing stream waits for that.
            await asyncio.gather(task, return_exceptions=True)


def accepted(recommendation: Recommendation) -> dict[str, Any]:
    return {"id": str(recommendation.pk), "status": recommendation.status,
            "status_url": f"/api/v1/recommendations/{recommendation.pk}",
            "events_url": f"/api/v1/recommendations/{recommendation.pk}/events"}


def failure_problem(exc: Exception) -> dict[str, Any] | None:
    if isinstance(exc, RecommendationFailed):
        return recommendation_failure(exc)[0]
    return None


async def answer_events(recommendation: Recommendation, payload: RecommendationIn, inputs: RecommendationInputs,
                        route: Route) -> AsyncIterator[bytes]:
    """A request answered now, as it runs (a cache hit: `accepted`, then `result`)."""
    channel = EventChannel()
    channel.send("accepted", accepted(recommendation))
    work = actions.answer(recommendation, payload, inputs, route, events=channel)
    async for chunk in stream(channel, work, failure_problem):
        yield chunk


async def job_events(recommendation: Recommendation) -> AsyncIterator[bytes]:
    """A recommendation another process answers (a queued request), from its row: its stages as
    the worker records them, then its result or problem. No `token` events: the text is
    generated in the worker."""
    channel = EventChannel()
    yield channel.numbered("accepted", accepted(recommendation)).encode()
    facts = await sync_to_async(facts_of)(recommendation)
    if facts is not None:
        yield channel.numbered("plans", plans_event(facts)).encode()
    reported: dict[str, str] = {}
    while True:
        row = await Recommendation.objects.aget(pk=recommendation.pk)
        finished = row.status in (Recommendation.Status.SUCCEEDED, Recommendation.Status.FAILED)
        for stage, status in row.progress.items():
            for step in STAGE_STEPS[STAGE_STEPS.index(reported.get(stage, "")) + 1:STAGE_STEPS.index(status) + 1]:
                reported[stage] = step
                yield channel.numbered("stage", job_stage_event(row, stage, step)).encode()
        if finished:
            break
        await asyncio.sleep(JOB_POLL_S)
    if row.status == Recommendation.Status.SUCCEEDED:
        yield channel.numbered("result", answer_for_client(row.output)).encode()
    else:
        yield channel.numbered("problem", recommendation_failure(RecommendationFailed(row.pk, row.errors))[0]).encode()


def job_stage_event(row: Recommendation, stage: str, step: str) -> dict[str, Any]:
    if step == "running":
        return {"stage": stage, "status": "started"}
    return {"stage": stage, "status": "finished", "model": row.models_used.get(stage),
            "fallbacks": [f for f in row.fallbacks or [] if f.get("stage") == stage],
            "timings": row.performance.get(stage)}


def facts_of(recommendation: Recommendation) -> Facts | None:
    try:
        return compute_facts(build_inputs(RecommendationIn.model_validate(recommendation.inputs)))
    except Exception:  # the request's plans changed since; its result or problem says what happened
        return None
