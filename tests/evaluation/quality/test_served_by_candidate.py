"""Which stages the candidate served itself, rather than a fallback."""

import pytest

from energy.llm import rules
from energy.llm.base import ModelRef, ProviderError
from evaluation.quality import check_recommendation, served_by_candidate
from tests.evaluation.quality.conftest import RULES, answer

# A candidate that answers like the rules engine, so only its failures differ.
CANDIDATE = ModelRef(key="test/candidate", provider_kind="rules", prompt_style="rules")


class NarrativeDown:
    """The candidate's narrative call fails; everything else is answered."""

    async def complete(self, model, request):
        if model.key == CANDIDATE.key and request.stage == "narrative":
            raise ProviderError("narrative is down")
        return await rules.complete(model, request)


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
