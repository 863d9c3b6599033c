"""The embedded Gemma 3 270M through the inference engine: a real inference, and a whole recommendation."""

import sys
from decimal import Decimal

import pytest

from energy.llm import dispatch
from energy.llm.base import STAGES
from energy.pipeline.orchestrator import run_pipeline
from energy.pipeline.stages import Narrative

pytestmark = pytest.mark.llm


# A real inference by the embedded Gemma 3 270M, served by the inference engine and prompted the way the narrative
# stage does.
def narrative_requests(model, facts):
    upstream = {"plan_scoring": {"ranking": list(facts.reference_ranking)}}
    return Narrative().build_requests(facts, model, upstream)


async def test_it_completes_a_few_shot_prompt(gemma, facts):
    request = narrative_requests(gemma, facts)[0]
    assert request.prompt.endswith("Why:")

    completion = await dispatch.complete(gemma, request)

    assert completion.text.strip()
    assert "\n" not in completion.text  # the catalog's stop sequence
    assert completion.input_tokens > 0
    assert 0 < completion.output_tokens <= gemma.settings_for("narrative", Narrative.default_settings).max_tokens
    assert completion.ttft_ms is not None
    # The engine's own time, apart from the time in transit and in its queue.
    assert completion.service_ms is not None
    assert completion.inference_ms == completion.service_ms
    assert completion.queue_ms >= 0
    assert completion.resolved_model == "gemma-3-270m-q4_k_m.gguf"


async def test_it_evaluates_the_few_shot_prefix_once(gemma, facts):
    first, second = narrative_requests(gemma, facts)[:2]
    await dispatch.complete(gemma, first)

    completion = await dispatch.complete(gemma, second)

    # Only the plan's own facts line is new to the engine's cache.
    assert completion.cached_tokens > completion.input_tokens * 0.8, (completion.cached_tokens, completion.input_tokens)


async def test_it_loads_no_weights_in_this_process(gemma, facts):
    await dispatch.complete(gemma, narrative_requests(gemma, facts)[0])

    assert "llama_cpp" not in sys.modules


# A whole recommendation through the embedded model, the rules engine behind it.
REJECTIONS = {"invalid_json", "bad_format", "unknown_plan", "wrong_number", "constraint_violation", "wrong_fact"}


def assert_each_stage_served_by_gemma_or_rules(result, gemma, rules_ref):
    for stage in STAGES:
        fallbacks = [f for f in result.fallbacks if f["stage"] == stage]
        if result.models[stage] == gemma.key:
            assert fallbacks == []
            assert result.performance[stage]["input_tokens"] > 0
            assert result.performance[stage]["ttft_ms"] is not None
        else:
            assert result.models[stage] == rules_ref.key
            assert [(f["from"], f["to"]) for f in fallbacks] == [(gemma.key, rules_ref.key)], result.errors
            assert fallbacks[0]["reason"] in REJECTIONS, result.errors


async def test_it_recommends_through_the_embedded_model(inputs, gemma, rules_ref, route_of):
    result = await run_pipeline(inputs, route=route_of(gemma, rules_ref), caller=dispatch)

    assert_each_stage_served_by_gemma_or_rules(result, gemma, rules_ref)
    assert result.data["usage_summary"]["summary"]
    recommendations = result.data["recommendations"]
    assert [r["rank"] for r in recommendations] == [1, 2, 3]
    assert len({r["plan_id"] for r in recommendations}) == 3
    assert all(r["why"] and r["projected_annual_cost"] > 0 for r in recommendations)


async def test_it_never_breaks_a_constraint_whatever_the_model_says(inputs_for, gemma, rules_ref, route_of):
    budget = Decimal(250)  # Wind 100 Flex and Two-Step 12 break it in July
    result = await run_pipeline(inputs_for(max_monthly_budget=budget), route=route_of(gemma, rules_ref), caller=dispatch)

    assert_each_stage_served_by_gemma_or_rules(result, gemma, rules_ref)
    for recommendation in result.data["recommendations"]:
        assert recommendation["constraints_met"]
        assert max(recommendation["projected_monthly_costs"]) <= budget
