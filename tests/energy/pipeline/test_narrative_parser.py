"""Stage 3's parser: one explanation per ranked plan, stating only that plan's facts. A wrong
explanation is refused on its own (`rejected_parts`); a malformed answer is refused whole."""

import dataclasses
import json

import pytest

from energy.pipeline.facts import compute_facts
from energy.pipeline.stages import Narrative
from energy.pipeline.stages.base import OutputInvalid
from energy.pipeline.stages.narrative import MAX_WHY_CHARS
from tests.energy.pipeline.answers import chat_narrative, completion_whys

RANKING = (3, 14, 36)  # Cheap 12 (0 %, 12 months, $2,002.68), Coastal Credit 6, Secure 36
UPSTREAM = {"plan_scoring": {"ranking": list(RANKING)}}


def parse(texts, facts, model):
    return Narrative().parse(texts, facts, model, UPSTREAM)


def rejection(texts, facts, model) -> str:
    with pytest.raises(OutputInvalid) as caught:
        parse(texts, facts, model)
    return caught.value.kind


def refused(texts, facts, model) -> dict[int, str]:
    """The kind of each explanation the parser refused (and replaced), by plan id."""
    return {part.plan_id: part.error.kind for part in parse(texts, facts, model)["rejected_parts"]}


def explanations(**whys: str) -> list[str]:
    """A chat answer: the valid explanations, with some replaced (by plan id, as p3=…)."""
    return [json.dumps({"explanations": [{"plan_id": int(key[1:]), "why": why} for key, why in whys.items()]})]


def good(facts) -> dict[str, str]:
    return {f"p{pid}": json.loads(chat_narrative(facts, RANKING))["explanations"][i]["why"] for i, pid in enumerate(RANKING)}


def test_it_accepts_a_good_chat_answer(facts, chat_model):
    output = parse([chat_narrative(facts, RANKING)], facts, chat_model)
    assert output["why"] == {
        3: "At $2,002.68 a year it is 0% renewable.",
        14: "At $2,057.28 a year it is 50% renewable.",
        36: "At $1,879.38 a year it is 10% renewable.",
    }


def test_it_accepts_json_in_a_code_fence(facts, chat_model):
    assert parse([f"```json\n{chat_narrative(facts, RANKING)}\n```"], facts, chat_model)["why"][3]


def test_it_rejects_an_invented_number(facts, chat_model):
    answer = explanations(**{**good(facts), "p3": "At $1,250.00 a year it is the cheapest."})
    assert refused(answer, facts, chat_model) == {3: "wrong_number"}


def test_it_rejects_another_plans_number(facts, chat_model):
    # $1,879.38 is Secure 36's cost, not Cheap 12's.
    answer = explanations(**{**good(facts), "p3": "At $1,879.38 a year it is the cheapest."})
    assert refused(answer, facts, chat_model) == {3: "wrong_number"}


def test_it_rejects_a_wrong_renewable_claim(facts, chat_model):
    answer = explanations(**{**good(facts), "p3": "It is 100% renewable."})
    assert refused(answer, facts, chat_model) == {3: "wrong_fact"}


def test_it_rejects_a_wrong_contract_claim(facts, chat_model):
    answer = explanations(**{**good(facts), "p3": "It has no contract."})
    assert refused(answer, facts, chat_model) == {3: "wrong_fact"}


def test_it_rejects_a_yearly_figure_called_monthly(facts, chat_model):
    answer = explanations(**{**good(facts), "p3": "At $2,002.68 a month it is the cheapest."})
    assert refused(answer, facts, chat_model) == {3: "wrong_fact"}


def test_it_rejects_a_missing_plan(facts, chat_model):
    whys = good(facts)
    del whys["p14"]
    assert refused(explanations(**whys), facts, chat_model) == {14: "bad_format"}
    assert refused(explanations(**{**good(facts), "p14": ""}), facts, chat_model) == {14: "bad_format"}


def test_it_rejects_an_unknown_plan(facts, chat_model):
    assert rejection(explanations(**good(facts), p999="It is cheap."), facts, chat_model) == "unknown_plan"


@pytest.mark.parametrize("plan_id", ["3", [3], {"id": 3}, None, True])
def test_it_rejects_a_plan_id_that_is_not_an_integer(facts, chat_model, plan_id):
    answer = json.dumps({"explanations": [{"plan_id": plan_id, "why": "It is cheap."}]})
    assert rejection([answer], facts, chat_model) == "bad_format"


def test_it_rejects_an_overlong_explanation(facts, chat_model):
    answer = explanations(**{**good(facts), "p3": "It is cheap. " * (MAX_WHY_CHARS // 10)})
    assert refused(answer, facts, chat_model) == {3: "bad_format"}


def test_it_rejects_explanations_that_are_not_a_list_of_objects(facts, chat_model):
    assert rejection([json.dumps({"explanations": ["It is cheap."] * 3})], facts, chat_model) == "bad_format"
    assert rejection([json.dumps({"why": {"3": "It is cheap."}})], facts, chat_model) == "bad_format"
    assert rejection(["It is cheap."], facts, chat_model) == "invalid_json"


def test_it_ignores_digits_in_the_plan_name(inputs_for, offers, chat_model):
    renamed = dataclasses.replace(offers["cheap"], name="Saver 2000 Plus")
    facts = compute_facts(inputs_for(plans=(renamed, offers["credit"], offers["long"])))
    answer = explanations(**{**good(facts), "p3": "Saver 2000 Plus costs $2,002.68 a year."})
    assert parse(answer, facts, chat_model)["why"][3] == "Saver 2000 Plus costs $2,002.68 a year."


def test_it_accepts_good_completions(facts, completion_model):
    texts = [why + "\n\nFacts: $980.40 a year" for why in completion_whys(facts, RANKING)]
    assert parse(texts, facts, completion_model)["why"][36] == "At $1,879.38 a year it is 10% renewable."


def test_it_rejects_bad_completions(facts, completion_model):
    whys = completion_whys(facts, RANKING)
    assert refused([whys[0], " At $1,402.10 a year it saves $210.40 a year.", whys[2]], facts, completion_model) == {
        14: "wrong_number",
    }
    assert refused([" It is 100% renewable.", whys[1], whys[2]], facts, completion_model) == {3: "wrong_fact"}
    assert refused([whys[0], "", whys[2]], facts, completion_model) == {14: "bad_format"}
