import pytest

from evaluation.catalog.routes import active_route
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_sends_one_stage_to_the_slot_the_policy_names(slots, set_policy):
    set_policy(stage_slots={"fast": {"narrative": "accurate"}})

    route = active_route("fast")

    assert keys(route.chain("narrative")) == ["test/rules-b", "builtin/rules"]
    assert keys(route.chain("usage_summary")) == ["test/rules-a", "test/rules-b", "builtin/rules"]
    assert keys(route.chain("plan_scoring")) == ["test/rules-a", "test/rules-b", "builtin/rules"]
    # The other mode is untouched.
    assert keys(active_route("accurate").chain("narrative")) == ["test/rules-b", "builtin/rules"]
