import pytest

from energy.llm.base import STAGES
from evaluation.catalog.routes import active_route
from evaluation.models import Slot
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_lists_a_model_serving_both_slots_once(slots, rules_a):
    Slot.objects.filter(name="accurate").update(model=rules_a)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "builtin/rules"]


@pytest.mark.django_db
def test_it_lists_the_rules_engine_once_when_a_slot_uses_it(slots, rules_model):
    Slot.objects.filter(name="accurate").update(model=rules_model)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "builtin/rules"]
