"""A model is shown at most eight candidates (a short prompt), or top_n when that is more."""

import dataclasses

from energy.pipeline.facts import MAX_CANDIDATES, compute_facts


def many_plans(offers, count):
    cheap = offers["cheap"]
    return tuple(dataclasses.replace(cheap, id=100 + n, name=f"Cheap {n}") for n in range(count))


def test_it_shows_at_most_eight(inputs_for, offers):
    facts = compute_facts(inputs_for(plans=many_plans(offers, 12)))
    assert len(facts.candidates) == MAX_CANDIDATES == 8


def test_it_shows_top_n_when_more_are_asked_for(inputs_for, offers):
    facts = compute_facts(inputs_for(plans=many_plans(offers, 12), top_n=10))
    assert len(facts.candidates) == 10
    assert len(facts.reference_ranking) == 10
