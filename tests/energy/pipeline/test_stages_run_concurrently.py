"""The usage summary needs only the facts, so it runs beside plan scoring → narrative."""

import asyncio

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary

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
