"""A council serves each stage in three steps — answers, peer ranking, synthesis — and its answer
is the same shape, validated the same way, as a single model's; `performance` attributes every call."""

from decimal import Decimal

import pytest

from energy.llm.base import STAGES
from energy.models import LLMCall
from energy.pipeline.council import ranking_request
from energy.pipeline.orchestrator import run_pipeline
from energy.pipeline.stages import Narrative
from tests.energy.council.conftest import COUNCIL_KEY, PRICES, council_route

MEMBERS = ("member/a", "member/b", "member/c")


@pytest.mark.django_db(transaction=True)
async def test_it_serves_every_stage_with_answers_rankings_and_a_synthesis(council_of, caller, inputs, servers):
    council = council_of(*MEMBERS, ranking_share=1.0)

    result = await run_pipeline(inputs, route=council_route(council), caller=caller)

    assert result.models == {stage: COUNCIL_KEY for stage in STAGES}
    assert result.fallbacks == []
    assert result.errors == []
    for stage in STAGES:
        council_figures = result.performance[stage]["council"]
        assert [m["label"] for m in council_figures["members"]] == ["A", "B", "C"]
        assert all(m["used"] and m["answer"]["outcome"] == "ok" for m in council_figures["members"])
        # Each member ranked the two others' answers, never its own.
        for member in council_figures["members"]:
            assert sorted(member["ranking"]["order"]) == sorted({"A", "B", "C"} - {member["label"]})
        assert council_figures["ranking"]["received"] == 3
        assert council_figures["ranking"]["asked"] == 3
        assert council_figures["chairman"] == {**council_figures["chairman"], "model": "chair/chat", "used": True,
                                               "outcome": "ok"}
        # Each member answered and ranked once, and the chairman synthesized once.
        for key in MEMBERS:
            assert [s.stage for s in servers[key].served()].count("council_ranking") == 3
        assert len(servers["chair/chat"].served(stage=stage)) == 1


@pytest.mark.django_db(transaction=True)
async def test_its_cost_is_the_sum_of_its_calls_at_each_models_prices(council_of, caller, inputs):
    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, ranking_share=1.0)), caller=caller)

    calls = [c async for c in LLMCall.objects.filter(context="council-test")]
    assert len(calls) == 3 * (3 + 3 + 1)  # per stage: three answers, three rankings, one synthesis
    assert all(c.status == LLMCall.Status.SUCCEEDED for c in calls)
    for stage in STAGES:
        stage_calls = [c for c in calls if c.stage == stage]
        expected = sum((Decimal(c.input_tokens + c.output_tokens) * PRICES[c.model_key] / 1_000_000 for c in stage_calls),
                       Decimal(0))
        figures = result.performance[stage]
        assert figures["cost_usd"] == pytest.approx(float(expected), abs=1e-8)
        assert figures["cost_usd"] > 0
        assert figures["input_tokens"] == sum(c.input_tokens for c in stage_calls)
        council = figures["council"]
        per_call = sum(m["answer"]["cost_usd"] + m["ranking"]["cost_usd"] for m in council["members"])
        assert per_call + council["chairman"]["cost_usd"] == pytest.approx(figures["cost_usd"], abs=1e-7)


@pytest.mark.django_db(transaction=True)
async def test_the_synthesis_is_validated_like_any_answer(council_of, caller, inputs, servers):
    # The chairman's narrative names a plan that is not ranked: the stage refuses it like any
    # model's answer, and the council serves the best-ranked member answer instead.
    servers["chair/chat"].plan(["truncated-answer"], stage="narrative")
    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS)), caller=caller)

    assert result.models["narrative"] == COUNCIL_KEY
    assert {"stage": "narrative", "from": COUNCIL_KEY, "to": COUNCIL_KEY, "reason": "council_chairman_failed",
            "model": "chair/chat", "kind": "invalid_json",
            "detail": f"served answer {result.performance['narrative']['council']['ranking']['aggregate'][0]}, "
                      "ranked best"} in result.fallbacks
    assert [r["why"] for r in result.data["recommendations"]] == list(result.stages["narrative"].output["why"].values())


def test_rankers_see_labels_never_model_names(council_of):
    council = council_of(*MEMBERS)
    shown = [("B", "Usage averages 1,142 kWh a month."), ("C", "Usage averages about 1,142 kWh a month.")]

    request = ranking_request(Narrative(), council.council.members[0], shown)

    text = " ".join(m["content"] for m in request.messages)
    assert "Answer B:" in text
    assert "Answer C:" in text
    assert not any(key in text for key in (*MEMBERS, "chair/chat", COUNCIL_KEY))
