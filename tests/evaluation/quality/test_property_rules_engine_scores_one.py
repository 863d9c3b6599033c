"""The rules engine's own answer scores 1.0 on every check, for any household: the baseline a
benchmark compares every model with is never marked down by the checks themselves."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from energy.pipeline.facts import compute_facts
from evaluation.benchmarks.quality import check_recommendation
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.evaluation.quality.conftest import RULES, answer

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
