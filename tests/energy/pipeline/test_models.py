"""The pipeline with a chat model, a completion model, and an empty catalog."""

import json

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import (
    chat_narrative,
    chat_ranking,
    chat_summary,
    completion_ranking,
    completion_summary,
    completion_whys,
    explanation,
)


# A chat model that answers every stage well serves every stage; the rules engine is never asked.
def queue_good_answers(fake_model, model, facts):
    fake_model.queue(model.key, chat_summary(facts), stage="usage_summary")
    fake_model.queue(model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(model.key, chat_narrative(facts), stage="narrative")


async def test_it_records_the_chat_model_for_every_stage(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    queue_good_answers(fake_model, chat_model, facts)
    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)
    assert result.models == {"usage_summary": "test/chat", "plan_scoring": "test/chat", "narrative": "test/chat"}
    assert result.errors == []
    assert result.fallbacks == []
    assert [key for key, _ in fake_model.calls] == ["test/chat"] * 3


async def test_it_uses_the_models_answers(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    queue_good_answers(fake_model, chat_model, facts)
    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)
    assert result.data["usage_summary"]["summary"] == json.loads(chat_summary(facts))["summary"]
    recommendations = result.data["recommendations"]
    assert [(r["rank"], r["plan_id"], r["score"]) for r in recommendations] == [(1, 36, 90.0), (2, 3, 85.0), (3, 14, 80.0)]
    assert recommendations[0]["why"] == explanation(facts, 36)
    assert recommendations[0]["plan_name"] == "Secure 36"
    assert recommendations[0]["provider"] == "Lone Star Power"


async def test_it_asks_a_chat_model_for_json(inputs, facts, fake_model, route_of, chat_model):
    queue_good_answers(fake_model, chat_model, facts)
    await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    for _, request in fake_model.calls:
        assert request.json_output
        assert [m["role"] for m in request.messages] == ["system", "user"]
        assert request.prompt is None


# A few-shot completion model gets one prompt per answer and answers one line each.
async def test_it_serves_every_stage_from_a_completion_model(inputs, facts, fake_model, route_of, completion_model,
                                                             rules_ref):
    ranking = (36, 3, 14)
    fake_model.queue(completion_model.key, completion_summary(facts) + "\n\nUsage:", stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(ranking), stage="plan_scoring")
    fake_model.queue(completion_model.key, *completion_whys(facts, ranking), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(completion_model, rules_ref), caller=fake_model)
    assert set(result.models.values()) == {"test/completion"}
    assert result.errors == []
    assert [r["plan_id"] for r in result.data["recommendations"]] == [36, 3, 14]
    assert result.data["recommendations"][0]["why"] == completion_whys(facts, ranking)[0].strip()


async def test_it_sends_one_narrative_prompt_per_ranked_plan(inputs, facts, fake_model, route_of, completion_model):
    ranking = (36, 3, 14)
    fake_model.queue(completion_model.key, completion_summary(facts), stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(ranking), stage="plan_scoring")
    fake_model.queue(completion_model.key, *completion_whys(facts, ranking), stage="narrative")
    await run_pipeline(inputs, route=route_of(completion_model), caller=fake_model)

    [summary] = fake_model.requests("test/completion", "usage_summary")
    assert summary.prompt.endswith("Summary:")
    [scoring] = fake_model.requests("test/completion", "plan_scoring")
    assert scoring.prompt.endswith("Best 3:")
    assert "#14: $2,057.28 a year, 50% renewable, 6-month contract" in scoring.prompt
    narratives = fake_model.requests("test/completion", "narrative")
    assert len(narratives) == 3
    assert all(request.prompt.endswith("Why:") and request.messages is None for request in narratives)
    assert "Facts: $1,879.38 a year" in narratives[0].prompt  # Secure 36, ranked first


# With no plans at all there is nothing to recommend, and nothing crashes.
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
