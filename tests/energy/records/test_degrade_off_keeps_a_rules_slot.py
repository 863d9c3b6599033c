import pytest

from evaluation.catalog.routes import RULES_KEY, active_route
from evaluation.models import RoutingPolicy


@pytest.mark.django_db
def test_it_appends_no_rules_engine_when_degrading_is_off_but_keeps_a_slot_on_it(remote_catalog):
    RoutingPolicy.objects.create(pk=1, degrade_to_rules=False)

    fast, accurate = active_route("fast"), active_route("accurate")

    # fast: its own slot (remote) and the accurate slot, which is on the rules engine itself.
    assert [model.key for model in fast.chain("narrative")] == ["remote/chat-mini", RULES_KEY]
    assert [model.key for model in accurate.chain("narrative")] == [RULES_KEY]
    RoutingPolicy.objects.filter(pk=1).update(fallback_slots={"fast": []})
    assert [model.key for model in active_route("fast").chain("narrative")] == ["remote/chat-mini"]
