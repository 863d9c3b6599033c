"""The quality report: every check by name, the mean score, and a JSON-ready dict; which stages the
candidate served itself, rather than a fallback. The rules engine's own answer scores 1.0 on every
check, for any household: the baseline a benchmark compares every model with is never marked down
by the checks themselves."""

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energy.llm import rules
from energy.llm.base import ModelRef, ProviderError
from energy.pipeline.facts import compute_facts
from evaluation.benchmarks.quality import CheckResult, QualityReport, check_recommendation, served_by_candidate
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.evaluation.benchmarks.quality_outputs import RULES, answer


def test_it_runs_every_check(facts, good):
    report = check_recommendation(facts, good, candidate_keys={"builtin/rules"})
    assert list(report.checks) == ["plan_ids_exist", "numbers_match_facts", "constraints_respected", "ranking_agreement",
                                   "why_grounded", "served_by_candidate"]


def test_it_scores_the_mean_of_the_checks():
    report = QualityReport({"a": CheckResult(True, 1.0, "fine"), "b": CheckResult(False, 0.5, "half")})
    assert report.score == 0.75
    assert not report.passed


def test_it_stores_as_json(facts, data, good):
    data["recommendations"][0]["plan_id"] = 999
    spoiled = dataclasses.replace(good, data=data)
    stored = json.loads(json.dumps(check_recommendation(facts, spoiled).as_dict()))
    assert stored["passed"] is False
    assert stored["score"] < 1.0
    assert stored["checks"]["plan_ids_exist"] == {"passed": False, "score": pytest.approx(2 / 3),
                                                  "detail": "1 of 3 failed: plan 999 does not exist"}


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


months = st.lists(st.decimals(min_value=0, max_value=5000, places=2), min_size=12, max_size=12).map(tuple)


@settings(max_examples=50, deadline=None)
@given(
    usage=months, budget=st.none() | st.decimals(min_value=20, max_value=600, places=2), prefer_renewable=st.booleans(),
    min_renewable=st.none() | st.integers(0, 100), max_contract=st.none() | st.sampled_from([0, 6, 12, 24]),
    top_n=st.integers(1, 6), current_rate=st.none() | st.decimals(min_value=5, max_value=30, places=1),
)
def test_it_scores_one(usage, budget, prefer_renewable, min_renewable, max_contract, top_n, current_rate):
    current = None if current_rate is None else dataclasses.replace(OFFERS["cheap"].terms, energy_rate_cents=current_rate)
    inputs = make_inputs(usage, current_terms=current, top_n=top_n, max_monthly_budget=budget,
                         prefer_renewable=prefer_renewable, min_renewable_pct=min_renewable, max_contract_months=max_contract)
    report = check_recommendation(compute_facts(inputs), answer(inputs), candidate_keys={RULES.key})
    assert report.score == 1.0, report.as_dict()
    assert report.passed
