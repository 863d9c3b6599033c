"""A stage slower than its STAGE_SLOW_MS threshold logs a [PERF] warning."""

import asyncio
import logging

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary


async def test_it_warns_about_a_slow_stage(inputs, facts, fake_model, route_of, chat_model, settings, caplog):
    settings.STAGE_SLOW_MS = {"usage_summary": 10, "plan_scoring": 60_000, "narrative": 60_000}

    async def slow_summary(request):
        await asyncio.sleep(0.03)
        return chat_summary(facts)

    fake_model.queue(chat_model.key, slow_summary, stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")

    with caplog.at_level(logging.INFO, logger="energy.perf"):
        await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith("[PERF] stage=usage_summary is slow: total_ms=")
    assert warnings[0].endswith("over the 10 ms threshold")


async def test_it_logs_every_stage_at_info(inputs, fake_model, route_of, rules_ref, caplog):
    with caplog.at_level(logging.INFO, logger="energy.perf"):
        await run_pipeline(inputs, route=route_of(rules_ref), caller=fake_model)
    lines = [r.getMessage() for r in caplog.records if r.name == "energy.perf"]
    assert len(lines) == 3
    assert all(line.startswith("[PERF] stage=") and "model=builtin/rules" in line for line in lines)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
