"""The routing policy's chains (evaluation.catalog.routes.active_route): the mode's slot, then the
fallback slots, then the rules engine; each model once; a stage sent to another slot; disabled
models skipped."""

import pytest

from energy.llm.base import STAGES
from evaluation.catalog.routes import active_route
from evaluation.models import AIModel, Provider, Slot
from tests.evaluation.slots.routes import keys


@pytest.mark.django_db
def test_it_tries_the_fast_slot_then_the_accurate_slot_then_the_rules_engine(routing_slots):
    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "test/rules-b", "builtin/rules"]


@pytest.mark.django_db
def test_it_follows_the_fallback_order_of_the_policy(routing_slots, set_policy):
    set_policy(fallback_slots={"fast": [], "accurate": ["fast"]})

    assert keys(active_route("fast").chain("plan_scoring")) == ["test/rules-a", "builtin/rules"]
    assert keys(active_route("accurate").chain("plan_scoring")) == ["test/rules-b", "test/rules-a", "builtin/rules"]


@pytest.mark.django_db
def test_it_sends_one_stage_to_the_slot_the_policy_names(routing_slots, set_policy):
    set_policy(stage_slots={"fast": {"narrative": "accurate"}})

    route = active_route("fast")

    assert keys(route.chain("narrative")) == ["test/rules-b", "builtin/rules"]
    assert keys(route.chain("usage_summary")) == ["test/rules-a", "test/rules-b", "builtin/rules"]
    assert keys(route.chain("plan_scoring")) == ["test/rules-a", "test/rules-b", "builtin/rules"]
    # The other mode is untouched.
    assert keys(active_route("accurate").chain("narrative")) == ["test/rules-b", "builtin/rules"]


@pytest.mark.django_db
def test_it_lists_a_model_serving_both_slots_once(routing_slots, rules_a):
    Slot.objects.filter(name="accurate").update(model=rules_a)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "builtin/rules"]


@pytest.mark.django_db
def test_it_lists_the_rules_engine_once_when_a_slot_uses_it(routing_slots, rules_model):
    Slot.objects.filter(name="accurate").update(model=rules_model)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "builtin/rules"]


@pytest.mark.django_db
def test_it_skips_a_disabled_or_retired_model(routing_slots):
    AIModel.objects.filter(key="test/rules-a").update(status=AIModel.Status.DISABLED)
    AIModel.objects.filter(key="test/rules-b").update(status=AIModel.Status.RETIRED)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["builtin/rules"]


@pytest.mark.django_db
def test_it_skips_a_model_whose_provider_is_disabled(routing_slots, rules_b):
    paused = Provider.objects.create(name="paused", kind=Provider.Kind.RULES, enabled=False)
    AIModel.objects.filter(pk=rules_b.pk).update(provider=paused)

    route = active_route("fast")

    assert keys(route.chain("narrative")) == ["test/rules-a", "builtin/rules"]
