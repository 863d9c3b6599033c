"""The slots router: list the slots, switch one (PUT), roll one back (POST), as a client sends them;
every refusal answers a problem and changes nothing."""

import pytest
from django.http import HttpResponse
from django.test import AsyncClient

from evaluation.models import AIModel, ModelProbe, Slot, SlotChange
from evaluation.slots.actions import switch_slot
from tests.conftest import REMOTE_SECRET_ENV


async def put_slot(client: AsyncClient, slot: str, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.put(f"/api/v1/slots/{slot}", body, content_type="application/json", headers=headers)


async def post_rollback(client: AsyncClient, slot: str, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.post(f"/api/v1/slots/{slot}/rollback", body, content_type="application/json", headers=headers)


@pytest.mark.django_db(transaction=True)
async def test_it_lists_each_slot_with_its_latest_probe_and_last_change(async_client, auth_headers, rules_only_catalog,
                                                                         spare_rules_model, operator):
    fast = rules_only_catalog["fast"]
    await Slot.objects.filter(pk=fast.pk).aupdate(challenger=spare_rules_model, challenger_share=10)
    await ModelProbe.objects.acreate(model=fast.model, slot_name="fast", ok=False, latency_ms=3.0, error="old failure")
    await ModelProbe.objects.acreate(model=fast.model, slot_name="fast", ok=True, latency_ms=1.5)
    await SlotChange.objects.acreate(slot=fast, to_model=fast.model, reason="initial seed")
    await SlotChange.objects.acreate(slot=fast, kind=SlotChange.Kind.CANARY_START, from_model=fast.model,
                                     to_model=spare_rules_model, acting_user=operator, reason="10% canary: try it")

    response = await async_client.get("/api/v1/slots", headers=auth_headers)

    assert response.status_code == 200
    slots = {s["name"]: s for s in response.json()}
    assert set(slots) == {"fast", "accurate"}
    listed = slots["fast"]
    assert listed["model"] == "builtin/rules"
    assert listed["challenger"] == {"model": "builtin/rules-spare", "share": 10, "started_at": None}
    assert listed["probe"]["ok"] is True
    assert listed["probe"]["latency_ms"] == 1.5
    assert listed["probe"]["error"] == ""
    assert 0 <= listed["probe"]["age_s"] < 60
    change = listed["last_change"]
    assert (change["acting_user"], change["from_model"], change["to_model"], change["kind"], change["reason"]) == (
        "operator", "builtin/rules", "builtin/rules-spare", "canary_start", "10% canary: try it")
    assert slots["accurate"]["challenger"] is None
    # A probe is of a model, whichever slot it serves (its age is taken per slot, a moment apart).
    def without_age(probe: dict) -> dict:
        return {name: value for name, value in probe.items() if name != "age_s"}

    assert without_age(slots["accurate"]["probe"]) == without_age(listed["probe"])
    assert slots["accurate"]["last_change"] is None


@pytest.mark.django_db(transaction=True)
async def test_it_switches_the_slot_and_audits_who_and_why(async_client, operator_headers, operator, rules_only_catalog,
                                                          spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "  cheaper at night "},
                              operator_headers)

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "fast"
    assert body["model"] == "builtin/rules-spare"
    assert body["last_change"]["acting_user"] == "operator"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules-spare"
    change = await SlotChange.objects.select_related("from_model", "to_model", "acting_user").aget()
    assert (change.kind, change.from_model.key, change.to_model.key) == ("switch", "builtin/rules", "builtin/rules-spare")
    assert change.acting_user == operator
    assert change.reason == "cheaper at night"
    assert not change.forced


@pytest.mark.django_db(transaction=True)
async def test_it_resolves_an_alias_and_stores_the_canonical_key(async_client, operator_headers, rules_only_catalog,
                                                                spare_rules_model):
    response = await put_slot(async_client, "accurate", {"model": "rules-spare", "reason": "alias"}, operator_headers)

    assert response.status_code == 200
    assert response.json()["model"] == "builtin/rules-spare"
    assert (await Slot.objects.aget(name="accurate")).model_id == spare_rules_model.pk
    assert (await SlotChange.objects.aget()).to_model_id == spare_rules_model.pk


@pytest.mark.django_db(transaction=True)
async def test_it_overrides_a_failing_probe_with_force_and_says_so_in_the_audit(async_client, operator_headers,
                                                                                rules_only_catalog, unreachable_model):
    body = {"model": "down/chat", "reason": "server is being restarted; switch now", "force": True}

    response = await put_slot(async_client, "fast", body, operator_headers)

    assert response.status_code == 200
    assert response.json()["last_change"]["forced"] is True
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "down/chat"
    assert (await SlotChange.objects.aget()).forced
    assert await ModelProbe.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_answers_401_without_a_key(async_client, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, {})

    assert response.status_code == 401
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"


# "\v" alone passes a minimum length of 1; the schema's pattern (\S) says it is blank, and so does the API.
@pytest.mark.parametrize("reason", ["   ", "\v", "\x1c\u3000"])
@pytest.mark.django_db(transaction=True)
async def test_it_answers_422_to_a_blank_reason(async_client, operator_headers, rules_only_catalog, spare_rules_model,
                                                reason):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": reason}, operator_headers)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_product_staff_and_leaves_the_slot(async_client, staff_headers, rules_only_catalog,
                                                                  spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, staff_headers)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "staff may not switch models" in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_a_key_that_acts_for_no_user(async_client, auth_headers, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, auth_headers)

    assert response.status_code == 403
    assert "does not have the 'switch' scope" in response.json()["detail"]  # a key with no user never has it
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_naming_the_unknown_model(async_client, operator_headers, rules_only_catalog):
    response = await put_slot(async_client, "fast", {"model": "nobody/gpt-9", "reason": "try"}, operator_headers)

    assert response.status_code == 404
    problem = response.json()
    assert problem["title"] == "Unknown model"
    assert "nobody/gpt-9" in problem["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_naming_the_unknown_slot(async_client, operator_headers, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "turbo", {"model": "builtin/rules-spare", "reason": "try"}, operator_headers)

    assert response.status_code == 404
    assert response.json()["title"] == "Unknown slot"
    assert "'turbo'" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_disabled_model_with_409(async_client, operator_headers, rules_only_catalog, spare_rules_model):
    await AIModel.objects.filter(pk=spare_rules_model.pk).aupdate(status=AIModel.Status.DISABLED)

    response = await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    problem = response.json()
    assert problem["title"] == "Switch refused"
    assert problem["detail"] == "builtin/rules-spare is disabled"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_model_whose_secret_is_missing_naming_the_variable(async_client, operator_headers,
                                                                              rules_only_catalog, remote_model, monkeypatch):
    monkeypatch.delenv(REMOTE_SECRET_ENV)

    response = await put_slot(async_client, "fast", {"model": "remote/chat-mini", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    assert REMOTE_SECRET_ENV in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_model_that_fails_its_live_probe(async_client, operator_headers, rules_only_catalog,
                                                            unreachable_model):
    response = await put_slot(async_client, "fast", {"model": "down/chat", "reason": "try"}, operator_headers)

    assert response.status_code == 409
    assert "down/chat failed its live probe" in response.json()["detail"]
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    assert await SlotChange.objects.acount() == 0
    assert not (await ModelProbe.objects.aget(model=unreachable_model)).ok


@pytest.mark.django_db(transaction=True)
async def test_it_rolls_the_slot_back_to_its_previous_model(async_client, operator_headers, operator, rules_only_catalog,
                                                           spare_rules_model):
    await put_slot(async_client, "fast", {"model": "builtin/rules-spare", "reason": "try the spare"}, operator_headers)

    response = await post_rollback(async_client, "fast", {"reason": "the spare is worse"}, operator_headers)

    assert response.status_code == 200
    assert response.json()["model"] == "builtin/rules"
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules"
    rollback = await SlotChange.objects.select_related("from_model", "to_model").afirst()
    assert (rollback.kind, rollback.from_model.key, rollback.to_model.key) == ("rollback", "builtin/rules-spare", "builtin/rules")
    assert (rollback.acting_user_id, rollback.reason) == (operator.pk, "the spare is worse")


@pytest.fixture
def switched_slot(rules_only_catalog, spare_rules_model) -> Slot:
    switch_slot("fast", spare_rules_model, acting_user=None, reason="try the spare")
    return Slot.objects.get(name="fast")


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_product_staff_and_keeps_the_model(async_client, staff_headers, switched_slot):
    response = await post_rollback(async_client, "fast", {"reason": "undo"}, staff_headers)

    assert response.status_code == 403
    assert (await Slot.objects.select_related("model").aget(name="fast")).model.key == "builtin/rules-spare"
