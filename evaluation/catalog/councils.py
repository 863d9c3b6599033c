"""Composing a council: the one audited action that creates or changes a council's catalog entry
(an AIModel of the built-in `Councils` provider) and what makes it a council (members, chairman,
minimum, ranking share, timeouts), in one transaction with its catalog change row. The admin,
the seed and the tests all call it."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from evaluation.catalog.actions import (
    EditRefused,
    check_permission,
    require_reason,
    serving_slots,
)
from evaluation.catalog.probes import probe_council
from evaluation.catalog.routes import UnknownModelError, get_model
from evaluation.models import AIModel, CatalogChange, Council, Provider

PROVIDER_NAME = "Councils"
COUNCIL_PERMISSIONS = ("evaluation.add_council", "evaluation.change_council")


@dataclass(frozen=True)
class Composition:
    """What a council is made of, by catalog keys."""

    members: tuple[str, ...]
    chairman: str
    min_answers: int = 2
    ranking_share: float = 0.67
    answers_timeout_s: float = 20.0
    ranking_timeout_s: float = 10.0
    synthesis_timeout_s: float = 20.0
    display_name: str = ""
    notes: str = field(default="", compare=False)


def council_provider() -> Provider:
    provider, _ = Provider.objects.get_or_create(name=PROVIDER_NAME, defaults={"kind": Provider.Kind.COUNCIL})
    if provider.kind != Provider.Kind.COUNCIL:
        raise EditRefused(f"the provider named {PROVIDER_NAME!r} is not of kind council")
    return provider


def state(council: Council) -> dict[str, Any]:
    """A council as its audit rows keep it."""
    return {"members": sorted(m.key for m in council.members.all()), "chairman": council.chairman.key,
            "min_answers": council.min_answers, "ranking_share": council.ranking_share,
            "answers_timeout_s": council.answers_timeout_s, "ranking_timeout_s": council.ranking_timeout_s,
            "synthesis_timeout_s": council.synthesis_timeout_s}


def resolve(name: str, key: str) -> AIModel:
    try:
        return get_model(key)
    except UnknownModelError:
        raise EditRefused(f"{name}: there is no catalog model {key!r}") from None


def compose_council(key: str, composition: Composition, *, acting_user: AbstractBaseUser | None, reason: str,
                    force: bool = False) -> CatalogChange:
    """Create the council `key`, or change what it is made of. A council that serves a slot is
    probed as it will be (each member and the chairman, one call each) before the change is
    saved, unless forced."""
    for permission in COUNCIL_PERMISSIONS:
        check_permission(acting_user, permission, to="compose councils")
    reason = require_reason(reason)
    existing = AIModel.objects.select_related("provider").filter(key=key).first()
    if existing is not None and existing.provider.kind != Provider.Kind.COUNCIL:
        raise EditRefused(f"key: {key} is a model, not a council")
    members = [resolve("members", k) for k in dict.fromkeys(composition.members)]
    chairman = resolve("chairman", composition.chairman)
    candidate = Council(chairman=chairman, **{name: getattr(composition, name) for name in (
        "min_answers", "ranking_share", "answers_timeout_s", "ranking_timeout_s", "synthesis_timeout_s")})
    try:
        candidate.clean_fields(exclude=["model"])
        candidate.check_composition(members)
    except ValidationError as exc:
        raise EditRefused("; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())) \
            from None
    after = {"members": sorted(m.key for m in members), "chairman": chairman.key,
             **{name: getattr(candidate, name) for name in ("min_answers", "ranking_share", "answers_timeout_s",
                                                            "ranking_timeout_s", "synthesis_timeout_s")}}
    current = getattr(existing, "council", None) if existing is not None else None
    before = state(current) if current is not None else {}
    if before == after:
        raise EditRefused(f"{key}: nothing to change")
    slots = serving_slots([existing.pk]) if existing is not None else []
    if slots and not force:
        # A council serving traffic stays servable: probed as it will be, outside the transaction
        # (a slow provider must not hold the write lock).
        probe = probe_council(existing, members, chairman, candidate.min_answers, slot_name=slots[0])
        if not probe.ok:
            raise EditRefused(f"{key} would fail its live probe after this change ({probe.error}); "
                              "use force with a reason to override")
    with transaction.atomic():
        entry = existing or AIModel(key=key, provider=council_provider(), provider_model="council",
                                    prompt_style=AIModel.PromptStyle.COUNCIL)
        entry.display_name = composition.display_name or entry.display_name or f"Council {key}"
        entry.notes = composition.notes or entry.notes
        entry.save()
        council = current or Council(model=entry, chairman=chairman)
        for name, value in after.items():
            if name not in ("members", "chairman"):
                setattr(council, name, value)
        council.chairman = chairman
        council.save()
        council.members.set(members)
        return CatalogChange.objects.create(
            kind=CatalogChange.Kind.EDIT if current else CatalogChange.Kind.CREATE,
            object_type=CatalogChange.ObjectType.MODEL, object_id=entry.pk, object_label=key,
            before=before, after=after, acting_user=acting_user, reason=reason, forced=force and bool(slots))
