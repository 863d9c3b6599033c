"""The narrative runs after plan scoring and explains the plans in the order scoring chose."""

import json

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary

RANKING = (36, 21, 8)  # not the reference ranking (14, 3, 36)


def queue(fake_model, model, facts):
    fake_model.queue(model.key, chat_summary(facts), stage="usage_summary")
    fake_model.queue(model.key, chat_ranking(facts, RANKING), stage="plan_scoring")
    fake_model.queue(model.key, chat_narrative(facts, RANKING), stage="narrative")


async def test_it_asks_for_the_narrative_after_scoring(inputs, facts, fake_model, route_of, chat_model):
    queue(fake_model, chat_model, facts)
    await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    stages = [request.stage for _, request in fake_model.calls]
    assert stages.index("narrative") > stages.index("plan_scoring")


async def test_it_explains_the_plans_scoring_ranked(inputs, facts, fake_model, route_of, chat_model):
    queue(fake_model, chat_model, facts)
    result = await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)

    [request] = fake_model.requests("test/chat", "narrative")
    shown = json.loads(request.messages[1]["content"].splitlines()[1])
    assert [plan["plan_id"] for plan in shown] == list(RANKING)
    assert [r["plan_id"] for r in result.data["recommendations"]] == list(RANKING)


async def test_it_explains_the_fallbacks_ranking(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    # Scoring fell back to the rules engine: the narrative model explains the reference ranking.
    fake_model.queue(chat_model.key, chat_summary(facts), stage="usage_summary")
    fake_model.queue(chat_model.key, "not json", stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)
    assert result.models["narrative"] == "test/chat"
    assert [r["plan_id"] for r in result.data["recommendations"]] == list(facts.reference_ranking)
