"""The judge's rubric prompt and the parser of its answer, in both prompt styles: a score on the
rubric is read as given, anything else is refused with the reason, and the prompt shows the judge
what a rater sees and nothing that names the model that wrote the output."""

import json

import pytest

from energy.llm.base import ModelRef
from evaluation.ratings.judge_prompt import STAGE, JudgeAnswerInvalid, Verdict, judge_request, parse_answer
from tests.evaluation.ratings.items import INPUTS, PAYLOAD

CHAT_JUDGE = ModelRef(key="judges/chat", provider_kind="openai_compatible", prompt_style="chat")
BASE_JUDGE = ModelRef(key="judges/base", provider_kind="llama_cpp", prompt_style="completion")
SECRET = "acme/secret-model-x"


def test_it_reads_a_chat_judges_json_answer():
    answer = '{"why_sensible": 4, "values_reasonable": 5, "overall": 4, "flags": ["wrong_plan"]}'

    assert parse_answer(CHAT_JUDGE, answer) == Verdict(4, 5, 4, ("wrong_plan",))
    assert parse_answer(CHAT_JUDGE, f"```json\n{answer}\n```").overall == 4


@pytest.mark.parametrize(("line", "expected"), [
    (" why 4, values 5, overall 4; flags: none", Verdict(4, 5, 4, ())),
    ("Scores: why 2, values 1, overall 1; flags: hallucinated number, ignored preference\nUsage: …",
     Verdict(2, 1, 1, ("hallucinated_number", "ignored_preference"))),
    (" why 3, values 3, overall 3", Verdict(3, 3, 3, ())),
])
def test_it_reads_a_completion_judges_score_line(line, expected):
    assert parse_answer(BASE_JUDGE, line) == expected


@pytest.mark.parametrize(("judge", "answer", "reason"), [
    (CHAT_JUDGE, "I think it is quite good.", "not valid JSON"),
    (CHAT_JUDGE, '{"why_sensible": 4, "values_reasonable": 5}', "overall: expected a whole number 1–5, got None"),
    (CHAT_JUDGE, '{"why_sensible": 6, "values_reasonable": 5, "overall": 4}', "why_sensible: expected a whole number 1–5"),
    (CHAT_JUDGE, '{"why_sensible": 4.5, "values_reasonable": 5, "overall": 4}', "why_sensible"),
    (CHAT_JUDGE, '{"why_sensible": 4, "values_reasonable": 5, "overall": 4, "flags": ["rude"]}', "not on the rubric: rude"),
    (CHAT_JUDGE, '{"why_sensible": 4, "values_reasonable": 5, "overall": 4, "flags": "none"}', "flags: expected a list"),
    (BASE_JUDGE, " The plans look fine to me.", "not a score line"),
    (BASE_JUDGE, " why 4, values 9, overall 4; flags: none", "values_reasonable: expected a whole number 1–5, got 9"),
    (BASE_JUDGE, "", "not a score line"),
])
def test_it_refuses_an_answer_that_is_not_a_score_on_the_rubric_with_the_reason(judge, answer, reason):
    with pytest.raises(JudgeAnswerInvalid, match=reason):
        parse_answer(judge, answer)


def leaky_item() -> tuple[dict, dict]:
    """An output whose stored payload and request name the model (metadata, mode): a rater sees neither."""
    payload = {**PAYLOAD, "metadata": {"models": {"narrative": SECRET}, "fallbacks": [SECRET]}, "model": SECRET}
    return {**INPUTS, "mode": "accurate", "model": SECRET}, payload


def test_a_chat_judge_sees_what_a_rater_sees_and_nothing_that_names_the_model():
    inputs, payload = leaky_item()

    request = judge_request(CHAT_JUDGE, inputs, payload)

    shown = json.loads(request.messages[1]["content"])
    assert shown["recommendation"]["recommendations"][0]["plan_name"] == "Bluebonnet Green 12"
    assert shown["request"]["monthly_usage_kwh"] == INPUTS["monthly_usage_kwh"]
    text = json.dumps(request.messages)
    assert SECRET not in text
    assert "secret" not in text
    assert "accurate" not in text
    assert (request.stage, request.json_output) == (STAGE, True)


def test_a_completion_judge_gets_a_few_shot_prompt_ending_where_its_score_line_goes_and_nothing_that_names_the_model():
    inputs, payload = leaky_item()

    request = judge_request(BASE_JUDGE, inputs, payload)

    assert request.messages is None
    assert request.prompt.endswith("\nScores:")
    assert "#1 Bluebonnet Green 12: $663.05 a year, 100% renewable, 12-month contract." in request.prompt
    assert "Scores: why 5, values 5, overall 5; flags: none" in request.prompt  # an example's line, to copy
    assert SECRET not in request.prompt
    assert "secret" not in request.prompt
    assert "accurate" not in request.prompt
    assert request.settings.stop == ("\n",)
