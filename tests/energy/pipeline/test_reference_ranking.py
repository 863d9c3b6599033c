"""The deterministic reference ranking: the rules engine's answer and the benchmarks' baseline."""

import dataclasses

from energy.pipeline.facts import compute_facts


def test_it_ranks_the_same_way_every_time(inputs):
    assert compute_facts(inputs).reference_ranking == compute_facts(inputs).reference_ranking == (14, 3, 36)


def test_it_does_not_depend_on_the_order_of_the_plans(inputs_for, offers):
    forwards = compute_facts(inputs_for(plans=tuple(offers.values())))
    backwards = compute_facts(inputs_for(plans=tuple(reversed(offers.values()))))
    assert [p.plan.id for p in forwards.plans] == [p.plan.id for p in backwards.plans]


def test_it_breaks_ties_by_plan_id(inputs_for, offers):
    twin = dataclasses.replace(offers["cheap"], id=2, name="Cheap 12 (twin)")
    facts = compute_facts(inputs_for(plans=(offers["cheap"], twin)))
    assert facts.reference_ranking[:2] == (2, 3)


def test_it_ranks_by_score_best_first(facts):
    scores = [p.score for p in facts.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)


def test_it_puts_the_green_plan_first_for_a_renewable_customer(inputs_for, offers):
    assert compute_facts(inputs_for()).reference_ranking[0] != offers["green"].id
    assert compute_facts(inputs_for(prefer_renewable=True)).reference_ranking[0] == offers["green"].id
