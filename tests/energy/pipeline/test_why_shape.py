"""A catalog model may ask for shorter whys (`why_shape: short`): the narrative's examples state
the same facts in fewer words."""

from dataclasses import replace

from energy.pipeline.stages import Narrative
from energy.pipeline.stages.narrative import FEW_SHOT, SHORT_FEW_SHOT


def whys(few_shot: str) -> list[str]:
    return [line for line in few_shot.splitlines() if line.startswith("Why:")]


def facts_lines(few_shot: str) -> list[str]:
    return [line for line in few_shot.splitlines() if line.startswith("Facts:")]


def test_the_short_examples_explain_the_same_facts_in_fewer_words():
    assert facts_lines(SHORT_FEW_SHOT) == facts_lines(FEW_SHOT)
    short, sentence = whys(SHORT_FEW_SHOT), whys(FEW_SHOT)
    assert sum(len(w.split()) for w in short) < 0.8 * sum(len(w.split()) for w in sentence)


def test_the_model_parameter_chooses_the_examples(facts, completion_model):
    upstream = {"plan_scoring": {"ranking": list(facts.reference_ranking)}}
    short_model = replace(completion_model, parameters={"why_shape": "short"})

    default_prompt = Narrative().build_requests(facts, completion_model, upstream)[0].prompt
    short_prompt = Narrative().build_requests(facts, short_model, upstream)[0].prompt

    assert default_prompt.startswith(FEW_SHOT)
    assert short_prompt.startswith(SHORT_FEW_SHOT)
    assert default_prompt[len(FEW_SHOT):] == short_prompt[len(SHORT_FEW_SHOT):]
