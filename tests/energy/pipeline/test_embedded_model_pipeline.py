"""A whole recommendation through the embedded model, the rules engine behind it."""

from decimal import Decimal

import pytest

from energy.llm import dispatch
from energy.llm.base import STAGES
from energy.pipeline.orchestrator import run_pipeline

pytestmark = pytest.mark.llm
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
