import pytest

from evaluation.models import ModelProbe, Slot, SlotChange


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
