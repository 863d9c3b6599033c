"""A chat model that answers every stage well serves every stage; the rules engine is never asked."""

import json

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary, explanation


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
    assert [(r["rank"], r["plan_id"], r["score"]) for r in recommendations] == [(1, 14, 90.0), (2, 3, 85.0), (3, 36, 80.0)]
    assert recommendations[0]["why"] == explanation(facts, 14)
    assert recommendations[0]["plan_name"] == "Coastal Credit 6"
    assert recommendations[0]["provider"] == "Gulf Coast Electric"


async def test_it_asks_a_chat_model_for_json(inputs, facts, fake_model, route_of, chat_model):
    queue_good_answers(fake_model, chat_model, facts)
    await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    for _, request in fake_model.calls:
        assert request.json_output
        assert [m["role"] for m in request.messages] == ["system", "user"]
        assert request.prompt is None
