"""Falling back along a stage's chain: on a provider error, on invalid output, each model once, and a stage
failure when no rules engine ends the chain."""

import json
from decimal import Decimal
from itertools import groupby

import pytest

from energy.llm.base import STAGES, EngineBusy, ProviderConnectionError, ProviderHTTPError, ProviderTimeout, StreamIncomplete
from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from energy.pipeline.runner import StageFailed
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary, completion_summary


# A provider failure moves the stage to the next model in its chain, and says why.
@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (ProviderTimeout("read timed out after 8.0 s"), "timeout"),
        (ProviderHTTPError(503, "overloaded"), "http_error"),
        (ProviderConnectionError("connection refused"), "connection_error"),
        (StreamIncomplete("stream ended early", partial_text='{"summ'), "stream_incomplete"),
        (EngineBusy("the engine cannot finish within the deadline"), "engine_busy"),
    ],
)
async def test_it_falls_back_to_the_next_model(inputs, facts, fake_model, route_of, chat_model, completion_model, rules_ref,
                                               failure, kind):
    fake_model.queue(chat_model.key, failure, stage="usage_summary")
    fake_model.queue(completion_model.key, completion_summary(facts), stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")

    result = await run_pipeline(inputs, route=route_of(chat_model, completion_model, rules_ref), caller=fake_model)

    assert result.models == {"usage_summary": "test/completion", "plan_scoring": "test/chat", "narrative": "test/chat"}
    assert result.errors == [{"stage": "usage_summary", "model": "test/chat", "kind": kind, "message": str(failure)}]
    assert result.fallbacks == [{"stage": "usage_summary", "from": "test/chat", "to": "test/completion", "reason": kind}]


async def test_it_ends_at_the_rules_engine(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage="plan_scoring")
    fake_model.queue(completion_model.key, ProviderHTTPError(500, "boom"), stage="plan_scoring")
    route = route_of(rules_ref, plan_scoring=(chat_model, completion_model, rules_ref))

    result = await run_pipeline(inputs, route=route, caller=fake_model)

    assert result.models["plan_scoring"] == "builtin/rules"
    assert [r["plan_id"] for r in result.data["recommendations"]] == [36, 3, 14]  # the reference ranking
    assert result.fallbacks == [
        {"stage": "plan_scoring", "from": "test/chat", "to": "test/completion", "reason": "timeout"},
        {"stage": "plan_scoring", "from": "test/completion", "to": "builtin/rules", "reason": "http_error"},
    ]
    assert [e["kind"] for e in result.errors] == ["timeout", "http_error"]


# An answer that fails validation moves the stage to the next model, with the kind of failure and an excerpt of what
# the model said.
GOOD = {"usage_summary": chat_summary, "plan_scoring": chat_ranking, "narrative": chat_narrative}
BAD = [
    ("usage_summary", "Sure! Here is the summary you asked for.", "invalid_json"),
    ("usage_summary", json.dumps({"summary": "Usage is flat.", "seasonal_pattern": "flat", "trend": "stable"}), "wrong_fact"),
    ("usage_summary", json.dumps({"summary": "Usage averages 1,180 kWh.", "seasonal_pattern": "summer-peaking",
                                  "trend": "stable"}), "wrong_number"),
    ("plan_scoring", json.dumps({"ranking": [{"plan_id": 12, "score": 90}]}), "unknown_plan"),
    ("plan_scoring", json.dumps({"ranking": [{"plan_id": 21, "score": 90}, {"plan_id": 3, "score": 80},
                                             {"plan_id": 36, "score": 70}]}), "constraint_violation"),
    ("plan_scoring", json.dumps({"ranking": [{"plan_id": 3, "score": 150}]}), "bad_format"),
    ("narrative", json.dumps({"explanations": [{"plan_id": 36, "why": "It saves $500 a year."}]}), "wrong_number"),
]


@pytest.mark.parametrize(("stage", "answer", "kind"), BAD)
async def test_it_falls_back_with_the_kind(inputs_for, fake_model, route_of, chat_model, rules_ref, stage, answer, kind):
    inputs = inputs_for(max_monthly_budget=Decimal(250))  # Wind 100 Flex (#21) breaks it in July
    facts = compute_facts(inputs)
    for name, good in GOOD.items():
        fake_model.queue(chat_model.key, answer if name == stage else good(facts), stage=name)

    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)

    assert result.models[stage] == "builtin/rules"
    assert [(e["stage"], e["model"], e["kind"], e["answer"]) for e in result.errors] == [(stage, "test/chat", kind, answer)]
    assert result.fallbacks == [{"stage": stage, "from": "test/chat", "to": "builtin/rules", "reason": kind}]
    assert len(result.data["recommendations"]) == 3


async def test_it_keeps_only_an_excerpt_of_a_long_answer(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    fake_model.queue(chat_model.key, "blah " * 200, stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(chat_model, rules_ref), caller=fake_model)
    assert len(result.errors[0]["answer"]) == 300


# Along a fallback chain each model is tried once per stage: a failure moves on, never retries.
async def test_it_tries_each_model_once_per_stage(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    for stage in STAGES:
        fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage=stage)
    wrong = " It costs $9,999.99 a year."
    fake_model.queue(completion_model.key, wrong, stage="usage_summary")
    fake_model.queue(completion_model.key, wrong, stage="plan_scoring")
    fake_model.queue(completion_model.key, *[wrong] * 3, stage="narrative")  # one prompt per plan

    result = await run_pipeline(inputs, route=route_of(chat_model, completion_model, rules_ref), caller=fake_model)

    for stage in STAGES:
        tried = [key for key, _ in groupby(fake_model.asked(stage))]
        assert tried == ["test/chat", "test/completion", "builtin/rules"], stage
        assert fake_model.asked(stage).count("test/chat") == 1
    assert set(result.models.values()) == {"builtin/rules"}
    assert len(result.errors) == len(result.fallbacks) == 6


# With no rules engine at the end of a chain, a stage whose models all fail fails the run.
async def test_it_raises_stage_failed_with_every_error(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage="plan_scoring")
    fake_model.queue(completion_model.key, "#999, #998, #997", stage="plan_scoring")
    route = route_of(rules_ref, plan_scoring=(chat_model, completion_model))

    with pytest.raises(StageFailed) as caught:
        await run_pipeline(inputs, route=route, caller=fake_model)

    assert caught.value.stage == "plan_scoring"
    assert [(e["model"], e["kind"]) for e in caught.value.errors] == [
        ("test/chat", "timeout"),
        ("test/completion", "unknown_plan"),
    ]
