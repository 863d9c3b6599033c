"""Send one fast recommendation through the real API, then check what it left behind: the answer,
the Recommendation row, one LLMCall row per upstream request the fault server saw."""

import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.test import AsyncClient

from energy.models import LLMCall, Recommendation
from tests.energy.api.payloads import STAGES, post_recommendation, recommendation_body
from tests.fakes.fault_server import FaultServer

REMOTE_KEY = "faults/chat"
RULES_KEY = "builtin/rules"
# The usage summary runs beside plan scoring; the narrative starts once scoring is done.
CONCURRENT_STAGES = ("usage_summary", "plan_scoring")


def attempt_budget() -> int:
    """Upstream attempts one stage may make against one model."""
    return settings.LLM_MAX_ATTEMPTS


@dataclass
class Outcome:
    response: HttpResponse
    elapsed_s: float
    recommendations: list[Recommendation]
    calls: list[LLMCall]

    @property
    def answer(self) -> dict[str, Any]:
        return self.response.json()

    def stage_calls(self, stage: str) -> list[LLMCall]:
        return [call for call in self.calls if call.stage == stage]


async def recommend(client: AsyncClient, headers: dict[str, str], **fields: Any) -> Outcome:
    request_id = uuid.uuid4().hex
    started = time.monotonic()
    response = await post_recommendation(client, {**headers, "X-Request-ID": request_id},
                                         recommendation_body(mode="fast", **fields))
    elapsed_s = time.monotonic() - started
    recommendations = [r async for r in Recommendation.objects.filter(request_id=request_id)]
    calls = [c async for c in LLMCall.objects.filter(recommendation__request_id=request_id).order_by("started_at", "pk")]
    return Outcome(response=response, elapsed_s=elapsed_s, recommendations=recommendations, calls=calls)


def assert_records_complete(outcome: Outcome, server: FaultServer) -> None:
    """Exactly one terminal Recommendation row; an LLMCall row, finished, for every upstream request."""
    assert len(outcome.recommendations) == 1, outcome.recommendations
    recommendation = outcome.recommendations[0]
    assert recommendation.status in Recommendation.TERMINAL
    assert recommendation.finished_at is not None
    assert len(outcome.calls) == server.total, (
        f"{len(outcome.calls)} LLMCall rows for {server.total} upstream requests: "
        f"{[(c.stage, c.status, c.error_class) for c in outcome.calls]} vs {server.served()}"
    )
    for stage in STAGES:
        assert len(outcome.stage_calls(stage)) == len(server.served(stage=stage)), stage
    for call in outcome.calls:
        assert call.status != LLMCall.Status.STARTED, call
        assert call.finished_at is not None
        assert call.duration_ms is not None
        assert call.model_key == REMOTE_KEY


def assert_attempts(server: FaultServer, *, per_stage: int) -> None:
    """The model failed the request: the stage that gave up on it first made exactly `per_stage`
    upstream requests, the one running beside it no more (it stops retrying once the model has
    failed the request), and the narrative, which starts after both, none."""
    assert per_stage <= attempt_budget()
    counts = {stage: len(server.served(stage=stage)) for stage in STAGES}
    assert counts["narrative"] == 0, server.served()
    assert max(counts[stage] for stage in CONCURRENT_STAGES) == per_stage, server.served()
    assert server.total <= per_stage * len(CONCURRENT_STAGES)


def assert_served_by_rules(outcome: Outcome, *, reason: str | None, narrative_reason: str = "failed_earlier") -> None:
    """200, every stage fell back from the remote model to the rules engine: the two first stages
    for `reason` (None: any), the narrative for `narrative_reason` (by default: the model had
    already failed the request, so it was not tried again)."""
    assert outcome.response.status_code == 200, outcome.response.content
    answer = outcome.answer
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, RULES_KEY)
    fallbacks = sorted(answer["metadata"]["fallbacks"], key=lambda f: f["stage"])
    assert [(f["stage"], f["from"], f["to"]) for f in fallbacks] == [(stage, REMOTE_KEY, RULES_KEY) for stage in sorted(STAGES)]
    if reason is not None:
        reasons = {f["stage"]: f["reason"] for f in fallbacks}
        assert reasons == {**dict.fromkeys(CONCURRENT_STAGES, reason), "narrative": narrative_reason}, fallbacks
    assert outcome.recommendations[0].status == Recommendation.Status.SUCCEEDED


def assert_calls(outcome: Outcome, *, status: str, error_class: str) -> None:
    assert outcome.calls, "no upstream call was recorded"
    assert {(c.status, c.error_class) for c in outcome.calls} == {(status, error_class)}, [
        (c.stage, c.status, c.error_class, c.error_message) for c in outcome.calls
    ]
