"""Every stage's timings, tokens and cost, its load time, and the warning for a slow stage."""

import asyncio
import logging

from energy.llm.base import Completion
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import (
    chat_narrative,
    chat_ranking,
    chat_summary,
    completion_ranking,
    completion_summary,
    completion_whys,
)

# Every stage reports its timings, tokens and cost, the cost from the model's prices.
KEYS = {"prompt_build_ms", "inference_ms", "upstream_ms", "parse_ms", "total_ms", "ttft_ms", "input_tokens",
        "output_tokens", "cost_usd"}


async def test_it_reports_every_timing_for_every_stage(inputs, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs, route=route_of(rules_ref), caller=fake_model)
    assert set(result.performance) == {"usage_summary", "plan_scoring", "narrative"}
    for timings in result.performance.values():
        assert set(timings) == KEYS
        assert 0 <= timings["prompt_build_ms"] <= timings["total_ms"]
        assert 0 <= timings["inference_ms"] <= timings["total_ms"]
        assert 0 <= timings["upstream_ms"] <= timings["inference_ms"]  # the calls' own time, within the stage's wait
        assert 0 <= timings["parse_ms"] <= timings["total_ms"]
    assert result.facts_ms >= 0


async def test_it_reports_no_ttft_tokens_or_cost_for_the_rules_engine(inputs, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs, route=route_of(rules_ref), caller=fake_model)
    for timings in result.performance.values():
        assert (timings["ttft_ms"], timings["input_tokens"], timings["output_tokens"], timings["cost_usd"]) == (None, 0, 0, 0)


async def test_it_prices_tokens_at_the_models_rates(inputs, facts, fake_model, route_of, chat_model):
    # $0.50 per M input + $1.50 per M output: 1,000 × 0.5e-6 + 200 × 1.5e-6 = $0.0008
    fake_model.queue(chat_model.key, Completion(text=chat_summary(facts), input_tokens=1000, output_tokens=200, ttft_ms=12.3456),
                     stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    timings = result.performance["usage_summary"]
    assert (timings["input_tokens"], timings["output_tokens"]) == (1000, 200)
    assert timings["cost_usd"] == 0.0008
    assert timings["ttft_ms"] == 12.346


async def test_it_sums_tokens_over_a_stages_requests(inputs, facts, fake_model, route_of, rules_ref, completion_model):
    whys = completion_whys(facts)
    fake_model.queue(completion_model.key, *(Completion(text=why, input_tokens=300, output_tokens=20, ttft_ms=50.0 + n)
                                             for n, why in enumerate(whys)), stage="narrative")
    route = route_of(rules_ref, narrative=(completion_model,))
    result = await run_pipeline(inputs, route=route, caller=fake_model)
    timings = result.performance["narrative"]
    assert (timings["input_tokens"], timings["output_tokens"]) == (900, 60)
    assert timings["ttft_ms"] == 50.0  # the first request's
    assert timings["cost_usd"] == 0  # the completion model is free


async def test_it_times_the_model_call_as_inference(inputs, facts, fake_model, route_of, chat_model):
    async def slow_summary(request):
        await asyncio.sleep(0.06)
        return chat_summary(facts)

    fake_model.queue(chat_model.key, slow_summary, stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model), caller=fake_model)
    timings = result.performance["usage_summary"]
    assert timings["inference_ms"] >= 50
    assert timings["total_ms"] >= timings["inference_ms"]
    assert result.performance["plan_scoring"]["inference_ms"] < 50


async def test_it_counts_a_failed_attempt_in_the_stage_total(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    async def slow_garbage(request):
        await asyncio.sleep(0.06)
        return "not json"

    fake_model.queue(chat_model.key, slow_garbage, stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)
    timings = result.performance["usage_summary"]
    assert result.models["usage_summary"] == "builtin/rules"
    assert timings["inference_ms"] < 50  # the rules engine's own call
    assert timings["total_ms"] >= 50  # the stage waited for the chat model first


# init_ms (waiting for a model to load) appears only when a completion reported some.
async def test_it_reports_init_time_only_where_there_was_some(inputs, facts, fake_model, route_of, completion_model):
    fake_model.queue(completion_model.key, Completion(text=completion_summary(facts), init_ms=812.5), stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(facts.reference_ranking), stage="plan_scoring")
    whys = completion_whys(facts)
    fake_model.queue(completion_model.key, Completion(text=whys[0], init_ms=10.0), Completion(text=whys[1], init_ms=5.25),
                     Completion(text=whys[2]), stage="narrative")

    result = await run_pipeline(inputs, route=route_of(completion_model), caller=fake_model)

    assert result.performance["usage_summary"]["init_ms"] == 812.5
    assert "init_ms" not in result.performance["plan_scoring"]
    assert result.performance["narrative"]["init_ms"] == 15.25  # summed over the stage's requests


# A stage slower than its STAGE_SLOW_MS threshold logs a [PERF] warning.
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
