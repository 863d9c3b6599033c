"""The quality checks' cast, with no database: the pipeline tests' five plan offers and
summer-peaking year, and the rules engine's own answer, which every check scores 1.0. A bad
output is a copy of that answer with one thing spoiled."""

import asyncio
import copy
from typing import Any

import pytest

from energy.llm import rules
from energy.llm.base import STAGES, ModelRef, Route
from energy.pipeline.facts import Facts, compute_facts
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.orchestrator import PipelineResult, run_pipeline
from energy.pipeline.runner import ModelCaller
from tests.energy.pipeline.conftest import make_inputs

RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


def answer(inputs: RecommendationInputs, *chain: ModelRef, caller: ModelCaller = rules) -> PipelineResult:
    """The pipeline's result with `chain` serving every stage (the rules engine by default). The
    `energy.llm.rules` module is itself a model caller: it answers any rules-kind model."""
    route = Route(chains={stage: chain or (RULES,) for stage in STAGES}, version="test")
    return asyncio.run(run_pipeline(inputs, route=route, caller=caller))


@pytest.fixture
def inputs() -> RecommendationInputs:
    """Five eligible plans; the reference top 3 is plans 14, 3, 36, then 21 and 8."""
    return make_inputs()


@pytest.fixture
def facts(inputs) -> Facts:
    return compute_facts(inputs)


@pytest.fixture
def good(inputs) -> PipelineResult:
    return answer(inputs)


@pytest.fixture
def data(good) -> dict[str, Any]:
    """A copy of the good output's data, to spoil."""
    return copy.deepcopy(good.data)
