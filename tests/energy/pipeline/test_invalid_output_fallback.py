"""An answer that fails validation moves the stage to the next model, with the kind of
failure and an excerpt of what the model said."""

import json
from decimal import Decimal

import pytest

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary

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
    ("narrative", json.dumps({"explanations": [{"plan_id": 14, "why": "It saves $500 a year."}]}), "wrong_number"),
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
