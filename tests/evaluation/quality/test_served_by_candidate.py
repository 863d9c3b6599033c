"""Which stages the candidate served itself, rather than a fallback."""

import json

import pytest

from energy.llm import rules
from energy.llm.base import ModelRef, ProviderError
from evaluation.benchmarks.quality import check_recommendation, served_by_candidate
from tests.evaluation.quality.conftest import RULES, answer

# A candidate that answers like the rules engine, so only its failures differ.
CANDIDATE = ModelRef(key="test/candidate", provider_kind="rules", prompt_style="rules")


class NarrativeDown:
    """The candidate's narrative call fails; everything else is answered."""

    async def complete(self, model, request):
        if model.key == CANDIDATE.key and request.stage == "narrative":
            raise ProviderError("narrative is down")
        return await rules.complete(model, request)


class OneWhyWrong:
    """The candidate's narrative says Cheap 12 (#3) is 100 % renewable; everything else is answered."""

    async def complete(self, model, request):
        completion = await rules.complete(model, request)
        if model.key == CANDIDATE.key and request.stage == "narrative":
            answer = json.loads(completion.text)
            for explanation in answer["explanations"]:
                if explanation["plan_id"] == 3:
                    explanation["why"] = "It is 100% renewable."
            completion.text = json.dumps(answer)
        return completion


def test_it_passes_when_the_candidate_served_every_stage(inputs):
    check = served_by_candidate(answer(inputs, CANDIDATE, RULES).models, {CANDIDATE.key})
    assert check.passed
    assert check.score == 1.0


def test_it_counts_a_stage_that_fell_back_to_the_rules_engine(inputs):
    result = answer(inputs, CANDIDATE, RULES, caller=NarrativeDown())
    check = served_by_candidate(result.models, {CANDIDATE.key})
    assert not check.passed
    assert check.score == pytest.approx(2 / 3)
    assert "narrative was served by builtin/rules" in check.detail


def test_it_is_left_out_without_candidate_keys(facts, good):
    assert "served_by_candidate" not in check_recommendation(facts, good).checks


def test_it_counts_a_narrative_for_the_share_of_whys_the_candidate_wrote(inputs):
    result = answer(inputs, CANDIDATE, RULES, caller=OneWhyWrong())
    assert result.models["narrative"] == CANDIDATE.key  # two of its three whys were kept

    check = served_by_candidate(result.models, {CANDIDATE.key}, result.narrative_sources)

    assert not check.passed
    assert check.score == pytest.approx((1 + 1 + 2 / 3) / 3)
    assert "narrative: 1 of 3 whys replaced by the rules engine's (plan 3: wrong_fact)" in check.detail
