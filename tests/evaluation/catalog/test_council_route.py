"""A council as a route, end to end (issue 16's "done when"): composed in the catalog by the audited
action, put in the `accurate` slot from the switchboard (probed member by member), serving
recommendations with its members in `performance`, and streaming its steps as ordered events. Its
members are remote chat models, each behind its own fault server."""


import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from energy.models import LLMCall
from evaluation.catalog.actions import EditRefused
from evaluation.catalog.councils import Composition, compose_council
from evaluation.catalog.routes import active_route
from evaluation.models import AIModel, CatalogChange, ModelProbe, Slot, SlotChange, Tier
from evaluation.seeds.accounts import OPERATORS
from evaluation.slots.actions import SwitchRefused, apply_tier, start_canary, switch_slot
from tests.energy.api.payloads import STAGES, post_recommendation, recommendation_body
from tests.energy.api.streams import stream_recommendation
from tests.evaluation.conftest import COUNCIL, KEYS, trio
from tests.evaluation.slots.switchboard import BOARD_URL, logged_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def remote_models(council_models, rules_model, plans) -> dict[str, AIModel]:
    for name in ("fast", "accurate"):
        Slot.objects.create(name=name, model=rules_model)
    return council_models


def put_council_in_accurate_from_the_switchboard() -> int:
    client = logged_in("olivia", OPERATORS)
    compose_council(COUNCIL, trio(), acting_user=get_user_model().objects.get(username="olivia"),
                    reason="three remote models, one chairman")
    return client.post(BOARD_URL + "slots/accurate/switch/",
                       {"model": COUNCIL, "reason": "try the council", "confirm": "yes"}).status_code


async def test_a_council_goes_in_the_accurate_slot_from_the_switchboard_and_serves(remote_models, async_client,
                                                                                   auth_headers):
    assert await sync_to_async(put_council_in_accurate_from_the_switchboard)() == 302

    slot = await Slot.objects.select_related("model").aget(name="accurate")
    assert slot.model.key == COUNCIL
    change = await SlotChange.objects.select_related("to_model").aget(slot__name="accurate")
    assert (change.to_model.key, change.reason, change.forced) == (COUNCIL, "try the council", False)
    # Probed member by member, each with its own probe row, and the council with one of its own.
    probed = {key async for key in ModelProbe.objects.filter(ok=True).values_list("model__key", flat=True)}
    assert probed == {*KEYS, COUNCIL}

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"))

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["metadata"]["models"] == {stage: COUNCIL for stage in STAGES}
    for stage in STAGES:
        council = answer["performance"][stage]["council"]
        assert [m["model"] for m in council["members"]] == list(KEYS[:3])
        assert all(m["used"] and m["answer"]["outcome"] == "ok" for m in council["members"])
        assert council["chairman"]["model"] == "remote/chair"
        assert council["ranking"]["received"] == 3
        assert answer["performance"][stage]["cost_usd"] > 0
    statuses = [c.status async for c in LLMCall.objects.filter(recommendation_id=answer["id"])]
    assert len(statuses) == 3 * 7
    assert set(statuses) == {LLMCall.Status.SUCCEEDED}


def serve_accurate_by_council() -> None:
    compose_council(COUNCIL, trio(), acting_user=None, reason="test")
    Slot.objects.filter(name="accurate").update(model=AIModel.objects.get(key=COUNCIL))


async def test_its_steps_stream_as_ordered_events(remote_models, async_client, auth_headers):
    await sync_to_async(serve_accurate_by_council)()

    events = await stream_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"))

    assert [data["seq"] for _, data in events] == list(range(1, len(events) + 1))
    council_events = [data for kind, data in events if kind == "council"]
    for stage in STAGES:
        steps = [e for e in council_events if e["stage"] == stage]
        assert [e["step"] for e in steps] == ["answer"] * 3 + ["ranking"] * 3 + ["synthesis"]
        assert [e["step_number"] for e in steps] == sorted(e["step_number"] for e in steps)
        assert {e["label"] for e in steps if e["step"] == "answer"} == {"A", "B", "C"}
        assert [(e["outcome"], bool(e.get("answer"))) for e in steps if e["step"] == "answer"] == [("ok", True)] * 3
        assert steps[-1]["served_by"] == "remote/chair"
        # The stage's own events frame its council's.
        stage_events = [(kind, data["seq"]) for kind, data in events if kind == "stage" and data["stage"] == stage]
        assert stage_events[0][1] < steps[0]["seq"]
        assert steps[-1]["seq"] < stage_events[-1][1]
    assert events[-1][0] == "result"


@pytest.mark.parametrize(("composition", "message"), [
    (Composition(members=("remote/a",), chairman="remote/chair"), "members: a council has 2 to 6 members, not 1"),
    (Composition(members=("remote/a", "remote/nope"), chairman="remote/chair"),
     "members: there is no catalog model 'remote/nope'"),
    (Composition(members=("remote/a", "remote/b"), chairman="remote/chair", min_answers=3),
     "min_answers: needs 3 answers from 2 members"),
    (Composition(members=("remote/a", "remote/b"), chairman="remote/chair", ranking_share=0),
     "ranking_share: Ensure this value is greater than or equal to 0.01."),
])
def test_a_composition_that_cannot_work_is_refused_naming_the_field(remote_models, composition, message):
    with pytest.raises(EditRefused) as refused:
        compose_council(COUNCIL, composition, acting_user=None, reason="test")

    assert str(refused.value) == message
    assert not AIModel.objects.filter(key=COUNCIL).exists()
    assert not CatalogChange.objects.exists()


def test_a_council_cannot_sit_on_a_council_and_raters_cannot_compose(remote_models, staff):
    compose_council(COUNCIL, trio(), acting_user=None, reason="test")

    with pytest.raises(EditRefused, match="members: a member cannot be a council"):
        compose_council("council/nested", Composition(members=(COUNCIL, "remote/a"), chairman="remote/chair"),
                        acting_user=None, reason="test")
    with pytest.raises(PermissionDenied):
        compose_council("council/other", trio(), acting_user=staff, reason="test")


def test_a_change_to_a_serving_council_that_would_fail_its_probe_is_refused(remote_models, servers):
    compose_council(COUNCIL, trio(min_answers=2), acting_user=None, reason="test")
    Slot.objects.filter(name="accurate").update(model=AIModel.objects.get(key=COUNCIL))
    for key in ("remote/b", "remote/c"):
        servers[key].always("500")

    with pytest.raises(EditRefused, match=r"would fail its live probe .*council_below_minimum: 1 of 3 members answer"):
        compose_council(COUNCIL, trio(min_answers=2, ranking_share=0.67), acting_user=None, reason="tighter")

    council = AIModel.objects.get(key=COUNCIL).council
    assert council.ranking_share == 1.0  # unchanged
    assert CatalogChange.objects.filter(object_label=COUNCIL).count() == 1


def test_a_tier_and_a_canary_point_at_a_council_as_at_any_model(remote_models):
    compose_council(COUNCIL, trio(), acting_user=None, reason="test")
    council = AIModel.objects.get(key=COUNCIL)
    tier = Tier.objects.create(name="councils", assignments={"fast": "remote/a", "accurate": COUNCIL})

    apply_tier(tier, acting_user=None, reason="try the council tier")
    start_canary("fast", council, 25, acting_user=None, reason="a quarter of fast traffic to the council")

    slots = {s.name: s for s in Slot.objects.select_related("model", "challenger")}
    assert slots["accurate"].model == council
    assert (slots["fast"].challenger, slots["fast"].challenger_share) == (council, 25)
    route = active_route("accurate")
    assert route.chains["narrative"][0].council is not None
    assert [m.key for m in route.chains["narrative"][0].council.members] == list(KEYS[:3])


def test_a_council_with_too_few_servable_members_cannot_take_a_slot(remote_models):
    compose_council(COUNCIL, trio(min_answers=3), acting_user=None, reason="test")
    AIModel.objects.filter(key="remote/b").update(status=AIModel.Status.DISABLED)

    with pytest.raises(SwitchRefused, match="fewer servable members than it needs"):
        switch_slot("accurate", AIModel.objects.get(key=COUNCIL), acting_user=None, reason="try")

    assert Slot.objects.get(name="accurate").model.key == "builtin/rules"
