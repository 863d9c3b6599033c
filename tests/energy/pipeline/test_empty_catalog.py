"""With no plans at all there is nothing to recommend, and nothing crashes."""

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import completion_summary


async def test_it_recommends_nothing_with_the_rules_engine(inputs_for, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs_for(plans=()), route=route_of(rules_ref), caller=fake_model)
    assert result.data["recommendations"] == []
    assert result.errors == []


async def test_it_recommends_nothing_with_a_completion_model(inputs_for, facts, fake_model, route_of, completion_model,
                                                             rules_ref):
    fake_model.queue(completion_model.key, completion_summary(facts), stage="usage_summary")
    fake_model.queue(completion_model.key, " #12, #31, #7", stage="plan_scoring")  # there is nothing to rank
    result = await run_pipeline(inputs_for(plans=()), route=route_of(completion_model, rules_ref), caller=fake_model)
    assert result.data["recommendations"] == []
    assert result.models["plan_scoring"] == "builtin/rules"
    assert fake_model.requests("test/completion", "narrative") == []  # no plan to explain, no prompt
    assert result.performance["narrative"]["ttft_ms"] is None
