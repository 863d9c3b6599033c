import pytest

from energy.llm.base import STAGES
from evaluation.catalog.routes import active_route
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_tries_the_fast_slot_then_the_accurate_slot_then_the_rules_engine(slots):
    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["test/rules-a", "test/rules-b", "builtin/rules"]
