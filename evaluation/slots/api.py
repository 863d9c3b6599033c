"""The slots over HTTP: read each slot, switch and roll back.

Writes go through evaluation.slots.actions with the API key's user as the acting user, so the
API is held to the same permission, refusals and audit as the admin and the management commands."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from ninja import Router

from energy.auth import ApiKeyAuth
from energy.client_errors import client_error
from energy.schemas import ProblemOut
from evaluation.catalog.routes import get_model
from evaluation.models import ModelProbe, Slot, SlotChange
from evaluation.slots import actions
from evaluation.slots.health import probe_age_s
from evaluation.slots.schemas import RollbackIn, SlotOut, SwitchIn
from evaluation.web import acting_user

router = Router(tags=["models"])

WRITE_RESPONSES = {200: SlotOut, 404: ProblemOut, 409: ProblemOut}


def with_latest(slots: QuerySet[Slot]) -> list[tuple[Slot, ModelProbe | None, SlotChange | None]]:
    """Each slot with its model's latest probe and its own last change: three queries however many slots."""
    newest_probe = ModelProbe.objects.filter(model=OuterRef("model_id")).order_by("-created_at", "-id").values("pk")[:1]
    newest_change = SlotChange.objects.filter(slot=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    listed = list(slots.select_related("model", "challenger")
                  .annotate(latest_probe_id=Subquery(newest_probe), last_change_id=Subquery(newest_change)))
    probes = ModelProbe.objects.in_bulk([slot.latest_probe_id for slot in listed if slot.latest_probe_id])
    changes = (SlotChange.objects.select_related("from_model", "to_model", "acting_user")
               .in_bulk([slot.last_change_id for slot in listed if slot.last_change_id]))
    return [(slot, probes.get(slot.latest_probe_id), changes.get(slot.last_change_id)) for slot in listed]


def probe_failure(probe: ModelProbe) -> dict[str, str]:
    """A failed probe in client terms; the exception's text stays on its row, for the switchboard."""
    if probe.ok:
        return {"kind": "", "error": ""}
    told = client_error({"kind": probe.kind})
    return {"kind": told["kind"], "error": told["message"]}


def describe_slot(slot: Slot, probe: ModelProbe | None, change: SlotChange | None) -> dict[str, Any]:
    return {
        "name": slot.name,
        "model": slot.model.key,
        "challenger": None if slot.challenger is None else {
            "model": slot.challenger.key, "share": slot.challenger_share, "started_at": slot.canary_started_at,
        },
        "updated_at": slot.updated_at,
        "probe": None if probe is None else {
            "ok": probe.ok,
            "latency_ms": None if probe.latency_ms is None else round(probe.latency_ms, 2),
            **probe_failure(probe),
            "created_at": probe.created_at,
            "age_s": round(probe_age_s(probe), 1),
        },
        "last_change": None if change is None else {
            "created_at": change.created_at,
            "acting_user": change.acting_user.get_username() if change.acting_user else None,
            "from_model": change.from_model.key if change.from_model else None,
            "to_model": change.to_model.key,
            "reason": change.reason,
            "kind": change.kind,
            "forced": change.forced,
        },
    }


def slots() -> list[dict[str, Any]]:
    return [describe_slot(*latest) for latest in with_latest(Slot.objects.all())]


def slot_now(slot_name: str) -> dict[str, Any]:
    return describe_slot(*with_latest(Slot.objects.filter(name=slot_name))[0])


def switch(slot_name: str, model_key: str, *, user: AbstractBaseUser, reason: str, force: bool) -> dict[str, Any]:
    # Permission first, so a caller who may not switch learns nothing about slots and models.
    actions.check_permission(user)
    actions.slot_named(slot_name)
    actions.switch_slot(slot_name, get_model(model_key), acting_user=user, reason=reason, force=force)
    return slot_now(slot_name)


def rollback(slot_name: str, *, user: AbstractBaseUser, reason: str, force: bool) -> dict[str, Any]:
    actions.check_permission(user)
    actions.slot_named(slot_name)
    actions.rollback_slot(slot_name, acting_user=user, reason=reason, force=force)
    return slot_now(slot_name)


@router.get("/slots", response={200: list[SlotOut]},
            summary="Each slot's model, canary, latest probe and last change")
async def list_slots(request: HttpRequest):
    return await sync_to_async(slots)()


@router.put(
    "/slots/{slot}", response=WRITE_RESPONSES, auth=ApiKeyAuth("switch"),
    summary="Switch the model serving a slot",
    description="Needs an API key that acts for a user with the `evaluation.switch_slot` permission (403 otherwise). "
                "The model must be enabled, its provider's secret set and a live probe must pass (409 with the reason "
                "otherwise); `force` with a reason overrides the probe only. The switch is audited.",
)
async def switch_model(request: HttpRequest, slot: str, payload: SwitchIn):
    user = acting_user(request, to="switch models")
    return await sync_to_async(switch)(slot, payload.model, user=user, reason=payload.reason, force=payload.force)


@router.post(
    "/slots/{slot}/rollback", response=WRITE_RESPONSES, auth=ApiKeyAuth("switch"),
    summary="Put back the model the slot had before its latest switch",
    description="Same permission and checks as a switch; audited as a rollback.",
)
async def rollback_model(request: HttpRequest, slot: str, payload: RollbackIn):
    user = acting_user(request, to="switch models")
    return await sync_to_async(rollback)(slot, user=user, reason=payload.reason, force=payload.force)
