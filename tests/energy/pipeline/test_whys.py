"""The plans' whys: a wrong why is replaced by the rules engine's, and a model may ask for shorter ones."""

import json
from dataclasses import replace

from energy.pipeline.orchestrator import run_pipeline
from energy.pipeline.stages import Narrative
from energy.pipeline.stages.narrative import FEW_SHOT, SHORT_FEW_SHOT
from tests.energy.pipeline.answers import (
    chat_ranking,
    chat_summary,
    completion_ranking,
    completion_summary,
    completion_whys,
    explanation,
)
from tests.energy.pipeline.conftest import ReplayingModel

# A wrong "why" is replaced with the rules engine's why for that plan, and the model's valid whys are kept: the
# narrative stays the model's, each refusal is recorded with its plan id, and `narrative_sources` says who wrote each
# why. Only when every why is wrong does the stage fall back as a whole.
# The reference ranking of the default inputs is plans 36, 3, 14; Cheap 12 (#3) is 0 % renewable.
WRONG_FOR_PLAN_3 = "It is 100% renewable."
RULES_WHY_FOR_PLAN_3 = "Ranked #2: $2,002.68 a year, about $166.89 a month, 0% renewable, 12-month contract."


class RefusalsHeard(ReplayingModel):
    """A caller that also hears, like energy.calls.RecordingCaller, which answers a stage refused."""

    def __init__(self) -> None:
        super().__init__()
        self.rejected: list[tuple[str, list[str], str]] = []

    async def reject(self, model, completions, kind, message) -> None:
        self.rejected.append((model.key, [c.text for c in completions], kind))


def chat_narrative_with(facts, **whys: str) -> str:
    """The good chat narrative, with the whys of some plans (p3=…) replaced."""
    ids = facts.reference_ranking
    return json.dumps({"explanations": [{"plan_id": pid, "why": whys.get(f"p{pid}", explanation(facts, pid))}
                                        for pid in ids]})


async def serve_chat(inputs, facts, caller, route, narrative: str):
    caller.queue("test/chat", chat_summary(facts), stage="usage_summary")
    caller.queue("test/chat", chat_ranking(facts), stage="plan_scoring")
    caller.queue("test/chat", narrative, stage="narrative")
    return await run_pipeline(inputs, route=route, caller=caller)


async def test_it_keeps_the_valid_whys_and_takes_the_wrong_one_from_the_rules_engine(
    inputs, facts, fake_model, route_of, chat_model, rules_ref,
):
    result = await serve_chat(inputs, facts, fake_model, route_of(chat_model, rules_ref),
                              chat_narrative_with(facts, p3=WRONG_FOR_PLAN_3))

    assert result.models["narrative"] == "test/chat"
    assert result.fallbacks == []
    assert {r["plan_id"]: r["why"] for r in result.data["recommendations"]} == {
        14: explanation(facts, 14), 3: RULES_WHY_FOR_PLAN_3, 36: explanation(facts, 36),
    }
    # The rules engine was not asked: the stage has its answer already.
    assert "builtin/rules" not in fake_model.asked("narrative")


async def test_it_records_the_refused_why_with_its_plan_kind_and_text(
    inputs, facts, fake_model, route_of, chat_model, rules_ref,
):
    result = await serve_chat(inputs, facts, fake_model, route_of(chat_model, rules_ref),
                              chat_narrative_with(facts, p3=WRONG_FOR_PLAN_3))

    [error] = result.errors
    assert error == {"stage": "narrative", "model": "test/chat", "kind": "wrong_fact", "message": error["message"],
                     "answer": WRONG_FOR_PLAN_3, "plan_id": 3}
    assert "plan 3" in error["message"]
    assert [(a["model"], a["ok"], a["rejected_parts"]) for a in result.stages["narrative"].attempts] == [
        ("test/chat", True, [{"plan_id": 3, "kind": "wrong_fact"}]),
    ]


async def test_it_names_who_wrote_each_why_in_rank_order(inputs, facts, fake_model, route_of, chat_model, rules_ref):
    result = await serve_chat(inputs, facts, fake_model, route_of(chat_model, rules_ref),
                              chat_narrative_with(facts, p3=WRONG_FOR_PLAN_3, p36="At $1,250.00 a year it is the cheapest."))

    assert result.narrative_sources == [
        {"plan_id": 36, "source": "builtin/rules", "reason": "wrong_number"},
        {"plan_id": 3, "source": "builtin/rules", "reason": "wrong_fact"},
        {"plan_id": 14, "source": "test/chat", "reason": None},
    ]
    assert [e["plan_id"] for e in result.errors] == [36, 3]


async def test_it_falls_back_as_a_whole_when_every_why_is_wrong(
    inputs, facts, fake_model, route_of, chat_model, rules_ref,
):
    wrong = {"p14": "It is 100% renewable.", "p3": WRONG_FOR_PLAN_3, "p36": "It has no contract."}
    result = await serve_chat(inputs, facts, fake_model, route_of(chat_model, rules_ref),
                              chat_narrative_with(facts, **wrong))

    assert result.models["narrative"] == "builtin/rules"
    assert result.fallbacks == [{"stage": "narrative", "from": "test/chat", "to": "builtin/rules", "reason": "wrong_fact"}]
    # One refusal of the whole answer (the first why's), as before: no per-plan entries.
    [error] = result.errors
    assert (error["model"], error["kind"], "plan_id" in error) == ("test/chat", "wrong_fact", False)
    assert result.narrative_sources == [{"plan_id": pid, "source": "builtin/rules", "reason": None} for pid in (36, 3, 14)]
    assert result.data["recommendations"][1]["why"] == RULES_WHY_FOR_PLAN_3


async def test_it_tells_the_caller_only_of_the_completion_it_refused(
    inputs, facts, route_of, completion_model, rules_ref,
):
    caller = RefusalsHeard()
    whys = completion_whys(facts)
    caller.queue("test/completion", completion_summary(facts), stage="usage_summary")
    caller.queue("test/completion", completion_ranking(facts.reference_ranking), stage="plan_scoring")
    caller.queue("test/completion", whys[0], " " + WRONG_FOR_PLAN_3, whys[2], stage="narrative")

    result = await run_pipeline(inputs, route=route_of(completion_model, rules_ref), caller=caller)

    assert result.models["narrative"] == "test/completion"
    assert result.data["recommendations"][1]["why"] == RULES_WHY_FOR_PLAN_3
    # That call's whole answer was refused, so its row is marked so; the other two were used.
    assert caller.rejected == [("test/completion", [" " + WRONG_FOR_PLAN_3], "wrong_fact")]


async def test_it_does_not_refuse_a_chat_answer_it_used_in_part(inputs, facts, route_of, chat_model, rules_ref):
    caller = RefusalsHeard()

    result = await serve_chat(inputs, facts, caller, route_of(chat_model, rules_ref),
                              chat_narrative_with(facts, p3=WRONG_FOR_PLAN_3))

    assert result.errors[0]["plan_id"] == 3
    assert caller.rejected == []


# A catalog model may ask for shorter whys (`why_shape: short`): the narrative's examples state the same facts in
# fewer words.
def whys(few_shot: str) -> list[str]:
    return [line for line in few_shot.splitlines() if line.startswith("Why:")]


def facts_lines(few_shot: str) -> list[str]:
    return [line for line in few_shot.splitlines() if line.startswith("Facts:")]


def test_it_explains_the_same_facts_in_fewer_words_in_the_short_examples():
    assert facts_lines(SHORT_FEW_SHOT) == facts_lines(FEW_SHOT)
    short, sentence = whys(SHORT_FEW_SHOT), whys(FEW_SHOT)
    assert sum(len(w.split()) for w in short) < 0.8 * sum(len(w.split()) for w in sentence)


def test_it_chooses_the_examples_by_the_model_parameter(facts, completion_model):
    upstream = {"plan_scoring": {"ranking": list(facts.reference_ranking)}}
    short_model = replace(completion_model, parameters={"why_shape": "short"})

    default_prompt = Narrative().build_requests(facts, completion_model, upstream)[0].prompt
    short_prompt = Narrative().build_requests(facts, short_model, upstream)[0].prompt

    assert default_prompt.startswith(FEW_SHOT)
    assert short_prompt.startswith(SHORT_FEW_SHOT)
    assert default_prompt[len(FEW_SHOT):] == short_prompt[len(SHORT_FEW_SHOT):]
