"""The defect set (evaluation/benchmarks/defects.py): each defect, planted alone into the rules
engine's answer, fails the check it names, on every standard-suite scenario it fits and for
random customers; the correct answers pass every check, so a failure is the defect's doing."""

from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from energy.pipeline.facts import Facts, compute_facts
from evaluation.benchmarks.defects import DEFECTS, Defect, correct_output, planted
from evaluation.benchmarks.quality import CHECKS
from evaluation.seeds.profiles import demo_offers, random_profile, standard_inputs

# Fixed examples, so that every run checks the same customers and finishes in seconds.
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)


@cache
def standard_cases() -> dict[str, tuple[Facts, dict]]:
    """The standard suite's facts and the rules engine's answer, by scenario name."""
    return {name: (compute_facts(inputs), correct_output(inputs)) for name, inputs in standard_inputs().items()}


def plantable() -> list[tuple[Defect, str]]:
    return [(defect, name) for defect in DEFECTS for name, (facts, data) in standard_cases().items()
            if planted(defect, facts, data) is not None]


def failing_checks(facts: Facts, data: dict) -> list[str]:
    return [name for name, check in CHECKS.items() if not check(facts, data).passed]


@pytest.mark.parametrize(("defect", "scenario"), [
    pytest.param(defect, scenario, id=f"{defect.name} fails {defect.check} on {scenario}")
    for defect, scenario in plantable()
])
def test_it_catches_each_planted_defect_with_the_check_it_names(defect, scenario):
    facts, data = standard_cases()[scenario]
    check = CHECKS[defect.check](facts, planted(defect, facts, data))
    assert not check.passed, check.detail


def test_it_plants_every_defect_in_some_standard_scenario():
    planted_somewhere = {defect.name for defect, _ in plantable()}
    assert planted_somewhere == {defect.name for defect in DEFECTS}


def test_it_names_a_real_check_for_every_defect_and_each_defect_once():
    assert {defect.check for defect in DEFECTS} == set(CHECKS)
    assert len({defect.name for defect in DEFECTS}) == len(DEFECTS)


@pytest.mark.parametrize("scenario", [pytest.param(name, id=f"on {name}") for name in standard_inputs()])
def test_the_correct_answer_passes_every_check(scenario):
    assert failing_checks(*standard_cases()[scenario]) == []


@PROPERTY_SETTINGS
@given(st.randoms(use_true_random=False))
def test_the_correct_answer_passes_every_check_for_random_customers(rng):
    inputs = random_profile(rng, demo_offers())
    assert failing_checks(compute_facts(inputs), correct_output(inputs)) == []


@PROPERTY_SETTINGS
@given(st.randoms(use_true_random=False), st.sampled_from(DEFECTS))
def test_it_catches_each_planted_defect_for_random_customers(rng, defect):
    inputs = random_profile(rng, demo_offers())
    facts = compute_facts(inputs)
    spoiled = planted(defect, facts, correct_output(inputs))
    assume(spoiled is not None)
    check = CHECKS[defect.check](facts, spoiled)
    assert not check.passed, (defect.name, check.detail)
