"""Every write to the routing policy and the tiers: audited catalog edits (CatalogChange).

A policy is refused unless serving can apply it, read by the very code serving reads it with
(catalog.policy.read_policy), with every slot it names existing. A tier is refused unless it
maps existing slots to existing catalog keys. What is refused is never stored.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from evaluation.catalog.actions import EditRefused, create, delete, edit
from evaluation.catalog.policy import PolicyInvalid, read_stored
from evaluation.catalog.routes import SLOT_NAMES
from evaluation.models import AIModel, CatalogChange, RoutingPolicy, Slot, Tier

POLICY_PK = 1  # one policy routes every request


def known_slots() -> set[str]:
    return set(Slot.objects.values_list("name", flat=True)) or set(SLOT_NAMES)


def check_policy(candidate: RoutingPolicy) -> None:
    try:
        read_stored(candidate, known_slots=known_slots())
    except PolicyInvalid as exc:
        raise EditRefused(str(exc)) from None


def edit_policy(policy: RoutingPolicy | None, changes: dict[str, Any], *, acting_user: AbstractBaseUser | None,
                reason: str, kind: str = CatalogChange.Kind.EDIT) -> CatalogChange:
    """Change the routing policy's fields; the first edit stores the policy (until then serving
    uses the default one)."""
    stored = RoutingPolicy.objects.filter(pk=POLICY_PK).first()
    if stored is None:
        candidate = RoutingPolicy(pk=POLICY_PK)
        for name, value in changes.items():
            setattr(candidate, name, value)
        check_policy(candidate)
        return create(candidate, object_type=CatalogChange.ObjectType.POLICY, label=str(candidate),
                      acting_user=acting_user, reason=reason)
    return edit(stored, changes, object_type=CatalogChange.ObjectType.POLICY, acting_user=acting_user, reason=reason,
                force=False, kind=kind, validate=lambda current, candidate, changed: check_policy(candidate))


def create_policy(policy: RoutingPolicy, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    """Store the routing policy (pk 1) from an unsaved one, as its first edit."""
    fields = ("stage_slots", "fallback_slots", "rules", "degrade_to_rules")
    if RoutingPolicy.objects.filter(pk=POLICY_PK).exists():
        raise EditRefused("the routing policy already exists; edit it instead")
    return edit_policy(None, {name: getattr(policy, name) for name in fields}, acting_user=acting_user, reason=reason)


def check_tier(tier: Tier) -> None:
    assignments = tier.assignments
    if not isinstance(assignments, dict) or not assignments:
        raise EditRefused('assignments: must be an object of slot → model key, e.g. {"fast": "builtin/rules"}')
    slots = known_slots()
    for slot_name, key in assignments.items():
        if slot_name not in slots:
            raise EditRefused(f"assignments: there is no slot named {slot_name!r} (slots: {', '.join(sorted(slots))})")
        if not isinstance(key, str) or not AIModel.objects.filter(key=key).exists():
            raise EditRefused(f"assignments: {slot_name} names {key!r}, which is not in the catalog")


def edit_tier(tier: Tier, changes: dict[str, Any], *, acting_user: AbstractBaseUser | None, reason: str,
              kind: str = CatalogChange.Kind.EDIT) -> CatalogChange:
    return edit(tier, changes, object_type=CatalogChange.ObjectType.TIER, acting_user=acting_user, reason=reason,
                force=False, kind=kind, label=lambda t: t.name,
                validate=lambda current, candidate, changed: check_tier(candidate))


def create_tier(tier: Tier, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    return create(tier, object_type=CatalogChange.ObjectType.TIER, label=tier.name, acting_user=acting_user,
                  reason=reason, validate=check_tier)


def delete_tier(tier: Tier, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    return delete(tier, object_type=CatalogChange.ObjectType.TIER, label=tier.name, acting_user=acting_user,
                  reason=reason)
