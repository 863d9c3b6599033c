"""Stage 2's parser: a ranking of known, eligible plans, each once, as many as asked for."""

import json
from decimal import Decimal

import pytest

from energy.pipeline.facts import compute_facts
from energy.pipeline.stages import PlanScoring
from energy.pipeline.stages.base import OutputInvalid


def parse(text, facts, model):
    return PlanScoring().parse([text], facts, model, {})


def rejection(text, facts, model) -> str:
    with pytest.raises(OutputInvalid) as caught:
        parse(text, facts, model)
    return caught.value.kind


def ranking(*entries) -> str:
    return json.dumps({"ranking": [{"plan_id": plan_id, "score": score} for plan_id, score in entries]})


def test_it_accepts_a_good_chat_answer(facts, chat_model):
    output = parse(ranking((3, 88), (14, 80.5), (36, 75)), facts, chat_model)
    assert output == {"ranking": [3, 14, 36], "scores": {3: 88.0, 14: 80.5, 36: 75.0}}


def test_it_keeps_only_top_n(facts, chat_model):
    output = parse(ranking((3, 88), (14, 80), (36, 75), (21, 60)), facts, chat_model)
    assert output["ranking"] == [3, 14, 36]


def test_it_rejects_an_unknown_plan(facts, chat_model):
    assert rejection(ranking((3, 88), (999, 80), (36, 75)), facts, chat_model) == "unknown_plan"


def test_it_rejects_a_plan_that_breaks_a_constraint(inputs_for, offers, chat_model):
    # A $250 budget: Wind 100 Flex's July bill is $327.39.
    facts = compute_facts(inputs_for(max_monthly_budget=Decimal(250)))
    green = offers["green"].id
    with pytest.raises(OutputInvalid) as caught:
        parse(ranking((3, 88), (green, 80), (36, 75)), facts, chat_model)
    assert caught.value.kind == "constraint_violation"
    assert str(caught.value) == f"plan {green} breaks the budget constraint"


def test_it_rejects_a_plan_ranked_twice(facts, chat_model):
    assert rejection(ranking((3, 88), (3, 80), (36, 75)), facts, chat_model) == "bad_format"


def test_it_rejects_too_few_plans(facts, chat_model):
    assert rejection(ranking((3, 88), (36, 75)), facts, chat_model) == "bad_format"
    assert rejection(ranking(), facts, chat_model) == "bad_format"


@pytest.mark.parametrize("score", [150, -1, "high", None, True])
def test_it_rejects_a_score_outside_0_to_100(facts, chat_model, score):
    assert rejection(ranking((3, score), (14, 80), (36, 75)), facts, chat_model) == "bad_format"


@pytest.mark.parametrize("plan_id", ["3", 3.5, None, True])
def test_it_rejects_a_plan_id_that_is_not_an_integer(facts, chat_model, plan_id):
    assert rejection(ranking((plan_id, 88), (14, 80), (36, 75)), facts, chat_model) == "bad_format"


def test_it_rejects_a_ranking_that_is_not_a_list_of_objects(facts, chat_model):
    assert rejection(json.dumps({"ranking": [3, 14, 36]}), facts, chat_model) == "bad_format"
    assert rejection(json.dumps({"best": [3, 14, 36]}), facts, chat_model) == "bad_format"
    assert rejection("Plans 3, 14 and 36.", facts, chat_model) == "invalid_json"


def test_it_reads_a_completion_answer(facts, completion_model):
    output = parse(" #3, #8, #14", facts, completion_model)
    assert output["ranking"] == [3, 8, 14]
    # The completion carries no scores: the reference scores stand beside the model's order.
    assert output["scores"] == {pid: facts.by_id[pid].score for pid in (3, 8, 14)}


def test_it_reads_only_the_first_line_of_a_completion(facts, completion_model):
    output = parse(" #36, #3, #14\n\nCustomer wants: the lowest cost.\n#12: $1,402.10", facts, completion_model)
    assert output["ranking"] == [36, 3, 14]


def test_it_rejects_bad_completions(facts, completion_model):
    assert rejection(" #12, #31, #7", facts, completion_model) == "unknown_plan"  # the few-shot example's ids
    assert rejection(" #3, #3, #14", facts, completion_model) == "bad_format"
    assert rejection(" #3", facts, completion_model) == "bad_format"
    assert rejection("", facts, completion_model) == "bad_format"
