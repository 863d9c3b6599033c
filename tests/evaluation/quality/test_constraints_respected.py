"""Hard constraints: while a plan meets them all, every recommended plan does; when none does,
the response says so."""

import copy
from decimal import Decimal

import pytest

from energy.pipeline.facts import compute_facts
from evaluation.benchmarks.quality import constraints_respected
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.evaluation.quality.conftest import answer


def test_it_passes_the_rules_engines_answer(facts, good):
    check = constraints_respected(facts, good.data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_an_ineligible_plan_while_an_eligible_one_exists():
    inputs = make_inputs(max_contract_months=12)
    facts = compute_facts(inputs)
    data = copy.deepcopy(answer(inputs).data)
    data["recommendations"][2]["plan_id"] = OFFERS["long"].id  # a 36-month contract
    check = constraints_respected(facts, data)
    assert not check.passed
    assert check.score == pytest.approx(2 / 3)
    assert "plan 36 breaks the contract constraint" in check.detail


def test_it_passes_an_unsatisfiable_case_with_a_notice():
    inputs = make_inputs(max_monthly_budget=Decimal(100))
    check = constraints_respected(compute_facts(inputs), answer(inputs).data)
    assert check.passed
    assert check.score == 1.0


def test_it_fails_an_unsatisfiable_case_without_a_notice():
    inputs = make_inputs(max_monthly_budget=Decimal(100))
    data = copy.deepcopy(answer(inputs).data)
    del data["notice"]
    check = constraints_respected(compute_facts(inputs), data)
    assert not check.passed
    assert check.score == 0.0
