"""Canary routing: the configured share of request keys goes to the challenger, the same key to the
same arm every time, the champion by default; each arm has its own route version, and a
recommendation records the arm it ran on."""

import pytest
from asgiref.sync import sync_to_async

from energy.models import Recommendation
from evaluation.catalog.routes import active_route, canary_arm
from evaluation.models import Slot
from evaluation.slots.actions import switch_slot
from tests.energy.api.payloads import post_recommendation, recommendation_body
from tests.evaluation.slots.routes import keys


@pytest.mark.django_db
def test_it_sends_the_configured_share_of_request_keys_to_the_challenger(routing_slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=20)
    slot = Slot.objects.get(name="fast")

    arms = [canary_arm(slot, f"request-{n}") for n in range(1000)]

    assert 160 <= arms.count("challenger") <= 240  # 20 % ± 4 %
    assert set(arms) == {"champion", "challenger"}


@pytest.mark.django_db
def test_it_puts_the_same_request_key_on_the_same_arm_every_time(routing_slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=50)

    for request_key in (f"req-{n}" for n in range(20)):
        first, again = active_route("fast", request_key), active_route("fast", request_key)
        assert first.arms == again.arms
        assert keys(first.chain("narrative")) == keys(again.chain("narrative"))
        served = "builtin/rules" if first.arms["fast"] == "challenger" else "test/rules-a"
        assert keys(first.chain("narrative"))[0] == served


@pytest.mark.django_db
def test_it_serves_the_champion_when_the_share_is_zero(routing_slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=0)

    for request_key in (f"req-{n}" for n in range(50)):
        route = active_route("fast", request_key)
        assert route.arms["fast"] == "champion"
        assert keys(route.chain("narrative"))[0] == "test/rules-a"


@pytest.mark.django_db
def test_it_serves_the_champion_to_a_request_without_a_key(routing_slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=99)

    route = active_route("fast")

    assert route.arms == {"fast": "champion", "accurate": "champion"}
    assert keys(route.chain("narrative"))[0] == "test/rules-a"


@pytest.mark.django_db
def test_it_changes_the_route_version_when_a_slot_is_switched(routing_slots, rules_model):
    before = active_route("fast").version

    switch_slot("fast", rules_model, acting_user=None, reason="rules only")

    assert active_route("fast").version != before


@pytest.mark.django_db
def test_it_gives_each_canary_arm_its_own_route_version(routing_slots, rules_model):
    # A response cached for one arm must never be served to a request on the other.
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=50)
    slot = Slot.objects.get(name="fast")
    request_keys = [f"req-{n}" for n in range(100)]
    on_challenger = next(key for key in request_keys if canary_arm(slot, key) == "challenger")
    on_champion = next(key for key in request_keys if canary_arm(slot, key) == "champion")

    challenger_route, champion_route = active_route("fast", on_challenger), active_route("fast", on_champion)

    assert challenger_route.chain("narrative") != champion_route.chain("narrative")
    assert challenger_route.version != champion_route.version


def request_key_on(slot: Slot, arm: str) -> str:
    return next(key for key in (f"client-req-{n}" for n in range(1000)) if canary_arm(slot, key) == arm)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("arm", "served_by"), [("challenger", "builtin/rules"), ("champion", "test/rules-a")])
async def test_it_records_the_canary_arm_a_recommendation_ran_on(async_client, auth_headers, plans, routing_slots,
                                                                 rules_model, arm, served_by):
    await Slot.objects.filter(name="fast").aupdate(challenger=rules_model, challenger_share=50)
    request_key = request_key_on(await sync_to_async(Slot.objects.get)(name="fast"), arm)

    response = await post_recommendation(async_client, {**auth_headers, "X-Request-ID": request_key},
                                         recommendation_body(mode="fast"))

    answer = response.json()
    assert response.status_code == 200, answer
    assert answer["metadata"]["models"]["narrative"] == served_by
    recommendation = await Recommendation.objects.aget(pk=answer["id"])
    assert recommendation.route["arms"] == {"fast": arm, "accurate": "champion"}
    assert recommendation.route["stages"]["narrative"][0] == served_by
