import pytest

from evaluation.catalog.routes import active_route
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_follows_the_fallback_order_of_the_policy(slots, set_policy):
    set_policy(fallback_slots={"fast": [], "accurate": ["fast"]})

    assert keys(active_route("fast").chain("plan_scoring")) == ["test/rules-a", "builtin/rules"]
    assert keys(active_route("accurate").chain("plan_scoring")) == ["test/rules-b", "test/rules-a", "builtin/rules"]
