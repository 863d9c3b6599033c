"""Every write to the model catalog's slots. The admin, the API, the management commands and
the tasks all call these; each is atomic and leaves an audit row (SlotChange)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from energy.problems import ClientError
from evaluation.catalog import actions as catalog_actions
from evaluation.catalog.probes import probe_model
from evaluation.catalog.routes import servable
from evaluation.models import AIModel, Slot, SlotChange, Tier
from evaluation.models.catalog import REASON_MAX_CHARS

SWITCH_PERMISSION = "evaluation.switch_slot"


class SwitchRefused(ClientError):
    """The switch was not made; the message says why, for the operator."""

    title = "Switch refused"


def check_permission(acting_user: AbstractBaseUser | None) -> None:
    catalog_actions.check_permission(acting_user, SWITCH_PERMISSION, to="switch models")


def check_servable(model: AIModel, *, reason: str, force: bool, slot_name: str) -> None:
    """Refuse a model that cannot serve: disabled, provider disabled, secret missing, or failing
    a live probe. `force` (with a reason) overrides the probe only."""
    if not reason or not reason.strip():
        raise SwitchRefused("a reason is required")
    if len(reason.strip()) > REASON_MAX_CHARS:
        raise SwitchRefused(f"reason: at most {REASON_MAX_CHARS} characters ({len(reason.strip())} given)")
    if model.status != AIModel.Status.ENABLED:
        raise SwitchRefused(f"{model.key} is {model.status}")
    if not model.provider.enabled:
        raise SwitchRefused(f"provider {model.provider.name} of {model.key} is disabled")
    if not model.provider.secret_configured:
        raise SwitchRefused(f"{model.key} needs the environment variable {model.provider.secret_env}, which is not set")
    if not servable(model):
        raise SwitchRefused(f"{model.key} is a council with fewer servable members than it needs to answer")
    if not force:
        probe = probe_model(model, slot_name=slot_name)
        if not probe.ok:
            raise SwitchRefused(f"{model.key} failed its live probe ({probe.error}); use force with a reason to override")


class UnknownSlot(SwitchRefused):
    status = 404
    title = "Unknown slot"


def slot_named(slot: Slot | str) -> Slot:
    slot_name = slot if isinstance(slot, str) else slot.name
    found = Slot.objects.select_related("model", "challenger").filter(name=slot_name).first()
    if found is None:
        raise UnknownSlot(f"there is no slot named {slot_name!r}")
    return found


def switch_slot(slot: Slot | str, model: AIModel, *, acting_user: AbstractBaseUser | None, reason: str,
                force: bool = False, kind: str = SlotChange.Kind.SWITCH) -> SlotChange:
    check_permission(acting_user)
    current = slot_named(slot)
    slot_name = current.name
    # Cheap refusals first, then the live probe, outside the transaction: a slow provider must
    # not hold the database's write lock.
    if current.model_id == model.pk:
        raise SwitchRefused(f"{slot_name} already uses {model.key}")
    check_servable(model, reason=reason, force=force, slot_name=slot_name)
    return _commit_switch(slot_name, model, acting_user=acting_user, reason=reason, force=force, kind=kind)


def _commit_switch(slot_name: str, model: AIModel, *, acting_user: AbstractBaseUser | None, reason: str,
                   force: bool, kind: str) -> SlotChange:
    with transaction.atomic():
        locked = Slot.objects.select_for_update().select_related("model").get(name=slot_name)
        if locked.model_id == model.pk:
            raise SwitchRefused(f"{slot_name} already uses {model.key}")
        previous = locked.model
        locked.model = model
        if locked.challenger_id == model.pk or kind == SlotChange.Kind.CANARY_PROMOTE:
            locked.challenger, locked.challenger_share, locked.canary_started_at = None, 0, None
        locked.save()
        return SlotChange.objects.create(slot=locked, kind=kind, from_model=previous, to_model=model,
                                         acting_user=acting_user, reason=reason.strip(), forced=force)


def rollback_slot(slot: Slot | str, *, acting_user: AbstractBaseUser | None, reason: str = "",
                  force: bool = False) -> SlotChange:
    """Back to the model the slot had before its latest switch."""
    slot_name = slot_named(slot).name
    last = last_switch(slot_name)
    if last is None:
        raise SwitchRefused(f"{slot_name} has no earlier model to roll back to")
    return switch_slot(slot_name, last.from_model, acting_user=acting_user, force=force,
                       reason=reason or f"rollback of the switch at {last.created_at:%Y-%m-%d %H:%M:%S} UTC",
                       kind=SlotChange.Kind.ROLLBACK)


def last_switch(slot_name: str) -> SlotChange | None:
    """The latest change that replaced the slot's model (canary starts and aborts do not)."""
    return (SlotChange.objects.filter(slot__name=slot_name, from_model__isnull=False)
            .exclude(kind__in=[SlotChange.Kind.CANARY_START, SlotChange.Kind.CANARY_ABORT])
            .select_related("from_model__provider").first())


def rollback_target(slot_name: str) -> AIModel | None:
    """The model rollback_slot would restore, for pages that show it before the click."""
    last = last_switch(slot_name)
    return None if last is None else last.from_model


def apply_tier(tier: Tier, *, acting_user: AbstractBaseUser | None, reason: str, force: bool = False) -> list[SlotChange]:
    """Set every slot the tier names, all or nothing. Every model is checked (and probed) before
    the one transaction that switches them."""
    check_permission(acting_user)
    if not reason or not reason.strip():
        raise SwitchRefused("a reason is required")
    models = {}
    for slot_name, key in tier.assignments.items():
        slot_named(slot_name)
        model = AIModel.objects.select_related("provider").filter(key=key).first()
        if model is None:
            raise SwitchRefused(f"tier {tier.name} names {key}, which is not in the catalog")
        models[slot_name] = model
    current = dict(Slot.objects.filter(name__in=models).values_list("name", "model__key"))
    to_switch = {name: model for name, model in models.items() if current.get(name) != model.key}
    for slot_name, model in to_switch.items():
        check_servable(model, reason=reason, force=force, slot_name=slot_name)
    with transaction.atomic():
        return [_commit_switch(slot_name, model, acting_user=acting_user, reason=f"tier {tier.name}: {reason.strip()}",
                               force=force, kind=SlotChange.Kind.TIER)
                for slot_name, model in to_switch.items()]


def start_canary(slot: Slot | str, challenger: AIModel, share: int, *, acting_user: AbstractBaseUser | None,
                 reason: str, force: bool = False) -> SlotChange:
    """Send `share` percent of the slot's live traffic to `challenger`."""
    check_permission(acting_user)
    if not 1 <= share <= 99:
        raise SwitchRefused("the challenger's share must be between 1 and 99 percent")
    slot_name = slot_named(slot).name
    check_servable(challenger, reason=reason, force=force, slot_name=slot_name)
    with transaction.atomic():
        locked = Slot.objects.select_for_update().select_related("model").get(name=slot_name)
        if locked.model_id == challenger.pk:
            raise SwitchRefused(f"{challenger.key} already is the {slot_name} champion")
        locked.challenger, locked.challenger_share, locked.canary_started_at = challenger, share, timezone.now()
        locked.save()
        return SlotChange.objects.create(slot=locked, kind=SlotChange.Kind.CANARY_START, from_model=locked.model,
                                         to_model=challenger, acting_user=acting_user, forced=force,
                                         reason=f"{share}% canary: {reason.strip()}")


def promote_canary(slot: Slot | str, *, acting_user: AbstractBaseUser | None, reason: str) -> SlotChange:
    current = slot_named(slot)
    slot_name = current.name
    if current.challenger is None:
        raise SwitchRefused(f"{slot_name} has no canary running")
    # The challenger has been serving live traffic: that is its probe.
    return switch_slot(slot_name, current.challenger, acting_user=acting_user, reason=reason, force=True,
                       kind=SlotChange.Kind.CANARY_PROMOTE)


def abort_canary(slot: Slot | str, *, acting_user: AbstractBaseUser | None, reason: str) -> SlotChange:
    check_permission(acting_user)
    if not reason or not reason.strip():
        raise SwitchRefused("a reason is required")
    slot_name = slot_named(slot).name
    with transaction.atomic():
        locked = Slot.objects.select_for_update(of=("self",)).select_related("model", "challenger").get(name=slot_name)
        if locked.challenger is None:
            raise SwitchRefused(f"{slot_name} has no canary running")
        challenger = locked.challenger
        locked.challenger, locked.challenger_share, locked.canary_started_at = None, 0, None
        locked.save()
        return SlotChange.objects.create(slot=locked, kind=SlotChange.Kind.CANARY_ABORT, from_model=challenger,
                                         to_model=locked.model, acting_user=acting_user, reason=reason.strip())
