"""run_pipeline: facts first, then usage summary ∥ (plan scoring → narrative)."""

import asyncio
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from energy.llm.base import Route
from energy.pipeline.events import PipelineEvents
from energy.pipeline.facts import Facts, PlanFacts, compute_facts
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.runner import ModelCaller, StageResult, TextListener, ms_since, run_stage
from energy.pipeline.stages import Narrative, PlanScoring, UsageSummary
from energy.pipeline.stages.narrative import RULES_KEY


@dataclass
class PipelineResult:
    data: dict[str, Any]
    stages: dict[str, StageResult]
    facts_ms: float

    @property
    def models(self) -> dict[str, str]:
        return {name: result.model_key for name, result in self.stages.items()}

    @property
    def performance(self) -> dict[str, dict[str, Any]]:
        return {name: result.timings for name, result in self.stages.items()}

    @property
    def errors(self) -> list[dict[str, str]]:
        return [e for result in self.stages.values() for e in result.errors]

    @property
    def fallbacks(self) -> list[dict[str, str]]:
        return [f for result in self.stages.values() for f in result.fallbacks]

    @property
    def narrative_sources(self) -> list[dict[str, Any]]:
        """Who wrote each recommended plan's why, in rank order: the model that served the
        narrative, or the rules engine for a why the stage refused and replaced (`reason`: the
        kind of refusal; its message and the model's text are in `errors`)."""
        narrative = self.stages["narrative"]
        refused = {part.plan_id: part.error.kind for part in narrative.output.get("rejected_parts", [])}
        return [{"plan_id": plan_id, "source": RULES_KEY if plan_id in refused else narrative.model_key,
                 "reason": refused.get(plan_id)} for plan_id in narrative.output["why"]]


def routing_signals(stage, facts: Facts, upstream: dict[str, Any], route: Route) -> dict[str, float]:
    """What routing rules can look at: the number of eligible plans, and the prompt size the
    stage's default model would get (about 4 characters a token; exact enough for a threshold)."""
    requests = stage.build_requests(facts, route.chains[stage.name][0], upstream)
    chars = sum(len(r.prompt or "") + sum(len(m["content"]) for m in r.messages or ()) for r in requests)
    return {"eligible_plans": sum(p.eligible for p in facts.plans), "prompt_tokens": chars / 4}


async def run_pipeline(inputs: RecommendationInputs, *, route: Route, caller: ModelCaller,
                       events: PipelineEvents | None = None) -> PipelineResult:
    events = events or PipelineEvents()
    started = time.perf_counter()
    facts = compute_facts(inputs)
    facts_ms = ms_since(started)
    await events.facts_ready(facts)

    async def stage(runner, upstream: dict[str, Any], on_text: TextListener | None = None) -> StageResult:
        chain = route.chain(runner.name, routing_signals(runner, facts, upstream, route) if route.rules else None)
        await events.stage_started(runner.name, chain[0].key)
        result = await run_stage(runner, facts, chain, caller, upstream, on_text=on_text,
                                 on_council=partial(events.council_step, runner.name))
        await events.stage_finished(runner.name, result)
        return result

    async def scoring_then_narrative() -> tuple[StageResult, StageResult]:
        scoring = await stage(PlanScoring(), {})
        ranking = scoring.output["ranking"]

        async def narrative_text(model_key: str, index: int, text: str) -> None:
            # A completion-style narrative asks once per ranked plan, in rank order.
            await events.narrative_text(ranking[index], model_key, text)

        narrative = await stage(Narrative(), {"plan_scoring": scoring.output}, on_text=narrative_text)
        return scoring, narrative

    # The usage summary needs only the facts, so it runs beside the scoring → narrative chain.
    # A TaskGroup, not gather: when one branch fails the other is cancelled, so a request that
    # has already failed makes no more upstream calls.
    try:
        async with asyncio.TaskGroup() as group:
            summary_task = group.create_task(stage(UsageSummary(), {}))
            chain_task = group.create_task(scoring_then_narrative())
    except ExceptionGroup as failures:
        raise failures.exceptions[0] from None
    summary, (scoring, narrative) = summary_task.result(), chain_task.result()
    stages = {"usage_summary": summary, "plan_scoring": scoring, "narrative": narrative}
    return PipelineResult(data=assemble(facts, summary, scoring, narrative), stages=stages, facts_ms=facts_ms)


def assemble(facts: Facts, summary: StageResult, scoring: StageResult, narrative: StageResult) -> dict[str, Any]:
    recommendations = [
        recommendation(facts.by_id[plan_id], rank, score=scoring.output["scores"][plan_id],
                       why=narrative.output["why"][plan_id])
        for rank, plan_id in enumerate(scoring.output["ranking"], start=1)
    ]
    data = {"usage_summary": summary.output, "recommendations": recommendations}
    if not facts.constraints_satisfiable:
        data["notice"] = ("No plan meets every hard constraint (budget, minimum renewable share, contract length); "
                          "these are the closest plans, and constraints_met says which they break.")
    return data


def recommendation(plan: PlanFacts, rank: int, *, score: float, why: str) -> dict[str, Any]:
    """One recommended plan as the response has it: the plan's facts, its score and its why."""
    return {
        "rank": rank,
        "plan_id": plan.plan.id,
        "plan_name": plan.plan.name,
        "provider": plan.plan.provider,
        "projected_annual_cost": float(plan.annual_cost),
        "projected_monthly_costs": [float(c) for c in plan.monthly_costs],
        "annual_savings": None if plan.annual_savings is None else float(plan.annual_savings),
        "renewable_pct": plan.plan.renewable_pct,
        "contract_months": plan.plan.contract_months,
        "score": score,
        "why": why,
        "constraints_met": plan.eligible,
    }
