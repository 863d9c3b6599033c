import pytest

from evaluation.catalog.routes import active_route, canary_arm
from evaluation.models import Slot
from evaluation.slots.actions import switch_slot


@pytest.mark.django_db
def test_it_changes_the_route_version_when_a_slot_is_switched(slots, rules_model):
    before = active_route("fast").version

    switch_slot("fast", rules_model, acting_user=None, reason="rules only")

    assert active_route("fast").version != before


@pytest.mark.django_db
def test_it_gives_each_canary_arm_its_own_route_version(slots, rules_model):
    # A response cached for one arm must never be served to a request on the other.
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=50)
    slot = Slot.objects.get(name="fast")
    keys = [f"req-{n}" for n in range(100)]
    on_challenger = next(key for key in keys if canary_arm(slot, key) == "challenger")
    on_champion = next(key for key in keys if canary_arm(slot, key) == "champion")

    challenger_route, champion_route = active_route("fast", on_challenger), active_route("fast", on_champion)

    assert challenger_route.chain("narrative") != champion_route.chain("narrative")
    assert challenger_route.version != champion_route.version
