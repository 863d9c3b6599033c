"""Pipeline outputs for the quality checks: the rules engine's own answer (every check scores it
1.0), or another chain's; the fixtures are in conftest.py."""

import asyncio

from energy.llm import rules
from energy.llm.base import STAGES, ModelRef, Route
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.orchestrator import PipelineResult, run_pipeline
from energy.pipeline.runner import ModelCaller

RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


def answer(inputs: RecommendationInputs, *chain: ModelRef, caller: ModelCaller = rules) -> PipelineResult:
    """The pipeline's result with `chain` serving every stage (the rules engine by default). The
    `energy.llm.rules` module is itself a model caller: it answers any rules-kind model."""
    route = Route(chains={stage: chain or (RULES,) for stage in STAGES}, version="test")
    return asyncio.run(run_pipeline(inputs, route=route, caller=caller))
