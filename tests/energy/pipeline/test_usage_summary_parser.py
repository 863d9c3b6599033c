"""Stage 1's parser, for a chat model's JSON and a completion model's one line."""

import json

import pytest

from energy.pipeline.stages import UsageSummary
from energy.pipeline.stages.base import OutputInvalid
from tests.energy.pipeline.answers import chat_summary, completion_summary


def parse(text, facts, model):
    return UsageSummary().parse([text], facts, model, {})


def rejection(text, facts, model) -> str:
    with pytest.raises(OutputInvalid) as caught:
        parse(text, facts, model)
    return caught.value.kind


def chat_answer(summary="Usage is highest in July.", pattern="summer-peaking", trend="stable") -> str:
    return json.dumps({"summary": summary, "seasonal_pattern": pattern, "trend": trend})


def test_it_accepts_a_good_chat_answer(facts, chat_model):
    output = parse(chat_summary(facts), facts, chat_model)
    assert output["summary"] == "You use about 1,142 kWh a month, most of it in July."
    assert output["seasonal_pattern"] == "summer-peaking"
    assert output["average_monthly_kwh"] == 1141.67  # the statistics come from the facts


def test_it_rejects_a_wrong_pattern_or_trend(facts, chat_model):
    assert rejection(chat_answer(pattern="winter-peaking"), facts, chat_model) == "wrong_fact"
    assert rejection(chat_answer(trend="rising"), facts, chat_model) == "wrong_fact"
    assert rejection(chat_answer(summary="Your usage is falling."), facts, chat_model) == "wrong_fact"


def test_it_rejects_an_invented_number(facts, chat_model):
    answer = chat_answer(summary="Usage averages 1,180 kWh a month.")  # the few-shot example's number
    assert rejection(answer, facts, chat_model) == "wrong_number"


def test_it_rejects_an_empty_summary(facts, chat_model):
    assert rejection(chat_answer(summary="  "), facts, chat_model) == "bad_format"
    assert rejection(json.dumps({"seasonal_pattern": "summer-peaking", "trend": "stable"}), facts, chat_model) == "bad_format"


def test_it_rejects_bad_json(facts, chat_model):
    assert rejection('{"summary": "Usage is highest in July.",', facts, chat_model) == "invalid_json"
    assert rejection("Usage is highest in July.", facts, chat_model) == "invalid_json"
    assert rejection('["summer-peaking"]', facts, chat_model) == "invalid_json"


def test_it_accepts_json_in_a_code_fence(facts, chat_model):
    assert parse(f"```json\n{chat_answer()}\n```", facts, chat_model)["summary"] == "Usage is highest in July."


def test_it_accepts_a_good_completion(facts, completion_model):
    output = parse(completion_summary(facts) + "\n\nUsage: average 640 kWh", facts, completion_model)
    assert output["summary"] == "Usage averages 1,142 kWh a month and peaks in July."  # the first line only


def test_it_rejects_a_completion_with_an_invented_number(facts, completion_model):
    text = " Usage averages 1,180 kWh a month and peaks at 1,900 kWh in August."
    assert rejection(text, facts, completion_model) == "wrong_number"


def test_it_rejects_a_completion_with_the_wrong_pattern(facts, completion_model):
    assert rejection(" Usage peaks at 1,700 kWh in July; it is dual-peak.", facts, completion_model) == "wrong_fact"


def test_it_rejects_an_empty_completion(facts, completion_model):
    assert rejection("", facts, completion_model) == "bad_format"
    assert rejection(" \n", facts, completion_model) == "bad_format"
