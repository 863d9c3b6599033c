"""The order of the stages: the narrative follows scoring, the usage summary runs beside them."""

import asyncio
import json

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary

# The narrative runs after plan scoring and explains the plans in the order scoring chose.
RANKING = (21, 8, 3)  # not the reference ranking (36, 3, 14)


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


# The usage summary needs only the facts, so it runs beside plan scoring → narrative.
DEADLOCK_TIMEOUT_S = 5  # run one after the other, these tests would wait for ever


async def test_it_runs_the_usage_summary_beside_plan_scoring(inputs, facts, fake_model, route_of, chat_model):
    summary_asked, scoring_asked = asyncio.Event(), asyncio.Event()

    async def summary(request):
        summary_asked.set()
        await scoring_asked.wait()
        return chat_summary(facts)

    async def scoring(request):
        scoring_asked.set()
        await summary_asked.wait()
        return chat_ranking(facts)

    fake_model.queue(chat_model.key, summary, stage="usage_summary")
    fake_model.queue(chat_model.key, scoring, stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")

    pipeline = run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    result = await asyncio.wait_for(pipeline, timeout=DEADLOCK_TIMEOUT_S)
    assert result.errors == []


async def test_it_does_not_hold_the_narrative_for_the_summary(inputs, facts, fake_model, route_of, chat_model):
    narrative_asked = asyncio.Event()

    async def summary(request):
        await narrative_asked.wait()
        return chat_summary(facts)

    async def narrative(request):
        narrative_asked.set()
        return chat_narrative(facts)

    fake_model.queue(chat_model.key, summary, stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, narrative, stage="narrative")

    pipeline = run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    result = await asyncio.wait_for(pipeline, timeout=DEADLOCK_TIMEOUT_S)
    assert result.errors == []
