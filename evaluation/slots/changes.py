"""The audit trail of every kind (slot switches and catalog edits) as one list, and rollback of
any entry that can be undone.

A catalog edit is rolled back by re-applying its `before` through the same audited action (so
it is validated, probed and audited again, as kind rollback), and only while the object still
holds that edit's `after`: a later edit of the same fields must be rolled back first. A slot
change is rolled back by rollback_slot, which undoes the slot's latest switch, so only that
one offers it.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from evaluation.catalog.actions import EditRefused, as_json, edit_model, edit_provider
from evaluation.models import AIModel, CatalogChange, Provider, RoutingPolicy, SlotChange, Tier
from evaluation.slots.actions import last_switch, rollback_slot
from evaluation.slots.routing import edit_policy, edit_tier

RECENT_ROWS = 20
SLOT, CATALOG = "slot", "catalog"
OBJECTS = {
    CatalogChange.ObjectType.MODEL: AIModel,
    CatalogChange.ObjectType.PROVIDER: Provider,
    CatalogChange.ObjectType.POLICY: RoutingPolicy,
    CatalogChange.ObjectType.TIER: Tier,
}
UNDOABLE = (CatalogChange.Kind.EDIT, CatalogChange.Kind.ROLLBACK)


@dataclass(frozen=True)
class RecentChange:
    """One row of the trail, whatever it changed."""

    source: str  # slot | catalog
    change: SlotChange | CatalogChange
    subject: str
    summary: str
    can_roll_back: bool

    @property
    def created_at(self) -> datetime:
        return self.change.created_at


def summarise(before: dict[str, Any], after: dict[str, Any]) -> str:
    names = sorted(set(before) | set(after))
    return "; ".join(f"{name}: {shown(before, name)} → {shown(after, name)}" for name in names)


def shown(values: dict[str, Any], name: str) -> str:
    """A field's value as an operator typed it: JSON for rules, parameters and assignments."""
    if name not in values:
        return "—"
    value = values[name]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def subject(change: CatalogChange) -> str:
    if change.object_type == CatalogChange.ObjectType.POLICY:
        return "routing policy"
    return f"{change.get_object_type_display()} {change.object_label}"


def catalog_target(change: CatalogChange):
    return OBJECTS[change.object_type].objects.filter(pk=change.object_id).first()


def catalog_targets(changes: list[CatalogChange]) -> dict[tuple[str, int], Any]:
    """The objects the changes edited, by (object_type, object_id): one query per kind of object."""
    wanted: dict[str, set[int]] = {}
    for change in changes:
        wanted.setdefault(change.object_type, set()).add(change.object_id)
    targets = {}
    for object_type, ids in wanted.items():
        objects = OBJECTS[object_type].objects
        if object_type == CatalogChange.ObjectType.MODEL:
            objects = objects.select_related("provider")  # a model's provider is audited by its name
        targets.update({(object_type, pk): target for pk, target in objects.in_bulk(ids).items()})
    return targets


def still_applied(change: CatalogChange) -> bool:
    """Whether the object still holds what the change wrote."""
    return holds(catalog_target(change), change)


def holds(target: Any, change_or_values: CatalogChange | dict[str, Any]) -> bool:
    """Whether `target` (None: the object is gone) holds what the change wrote (or these values)."""
    values = change_or_values.after if isinstance(change_or_values, CatalogChange) else change_or_values
    return target is not None and all(as_json(target, name) == value for name, value in values.items())


def rolled_back(change: CatalogChange) -> bool:
    """Whether the object's latest change is a rollback that restored what `change` replaced."""
    latest = (CatalogChange.objects.filter(object_type=change.object_type, object_id=change.object_id)
              .order_by("-created_at", "-id").first())
    return latest is not None and latest.kind == CatalogChange.Kind.ROLLBACK and latest.after == change.before


def recent_changes(limit: int = RECENT_ROWS) -> list[RecentChange]:
    """Newest first, both logs merged, at most `limit` rows."""
    slot_changes = SlotChange.objects.select_related("slot", "from_model", "to_model", "acting_user")[:limit]
    catalog_changes = list(CatalogChange.objects.select_related("acting_user")[:limit])
    targets = catalog_targets([change for change in catalog_changes if change.kind in UNDOABLE])
    latest_switch = {}
    rows = []
    for change in slot_changes:
        if change.slot.name not in latest_switch:
            latest_switch[change.slot.name] = last_switch(change.slot.name)
        rows.append(RecentChange(
            source=SLOT, change=change, subject=f"slot {change.slot.name}",
            summary=f"{change.from_model.key if change.from_model else '—'} → {change.to_model.key}",
            can_roll_back=latest_switch[change.slot.name] == change))
    for change in catalog_changes:
        rows.append(RecentChange(
            source=CATALOG, change=change, subject=subject(change),
            summary=summarise(change.before, change.after),
            can_roll_back=change.kind in UNDOABLE and holds(targets.get((change.object_type, change.object_id)), change)))
    rows.sort(key=lambda row: (row.created_at, row.change.pk), reverse=True)
    return rows[:limit]


def find_change(source: str, change_id: int) -> SlotChange | CatalogChange | None:
    model = SlotChange if source == SLOT else CatalogChange if source == CATALOG else None
    return None if model is None else model.objects.filter(pk=change_id).first()


def rollback_change(change: SlotChange | CatalogChange, *, acting_user: AbstractBaseUser | None, reason: str,
                    force: bool = False) -> SlotChange | CatalogChange:
    """Undo one change of the trail through the action that made it, audited as a rollback."""
    if isinstance(change, SlotChange):
        if last_switch(change.slot.name) != change:
            raise EditRefused(f"only the latest switch of {change.slot.name} can be rolled back")
        return rollback_slot(change.slot.name, acting_user=acting_user, reason=reason, force=force)
    if change.kind not in UNDOABLE:
        raise EditRefused(f"a {change.get_kind_display().lower()} cannot be rolled back here; use the admin")
    target = catalog_target(change)
    if target is None:
        raise EditRefused(f"{change.object_label} no longer exists")
    if not still_applied(change):
        if holds(target, change.before) and rolled_back(change):
            raise EditRefused(f"{change.object_label}: this change was rolled back already")
        raise EditRefused(f"{change.object_label} was changed again since; roll back the later change first")
    kind = CatalogChange.Kind.ROLLBACK
    match change.object_type:
        case CatalogChange.ObjectType.MODEL:
            return edit_model(target, change.before, acting_user=acting_user, reason=reason, force=force, kind=kind)
        case CatalogChange.ObjectType.PROVIDER:
            return edit_provider(target, change.before, acting_user=acting_user, reason=reason, force=force, kind=kind)
        case CatalogChange.ObjectType.POLICY:
            return edit_policy(target, change.before, acting_user=acting_user, reason=reason, kind=kind)
        case _:
            return edit_tier(target, change.before, acting_user=acting_user, reason=reason, kind=kind)
