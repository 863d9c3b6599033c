"""Every write to the catalog's models and providers, and what all catalog edits share.

An edit names the fields it changes; it is permission-checked (Django's change_<model>),
validated as serving will read it, probed where a model's reachability changes, and committed
in one transaction with its audit row (CatalogChange: the changed fields before → after, and
why). The admin, the switchboard's rollback and the shell all come through here, so nothing
that can alter serving is changed without a trace.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction

from energy.llm.base import STAGES, GenerationSettings
from energy.problems import ClientError
from evaluation.catalog.probes import probe_model
from evaluation.catalog.routes import model_ref
from evaluation.models import AIModel, CatalogChange, Provider, Slot
from evaluation.models.catalog import REASON_MAX_CHARS

GENERATION_KEYS = ("max_tokens", "temperature", "stop")
# A change to one of these can make a model that serves a slot unreachable: it is probed first.
MODEL_REACH_FIELDS = ("provider", "provider_model", "status", "prompt_style")
PROVIDER_REACH_FIELDS = ("kind", "base_url", "account_id", "secret_env", "enabled")


class EditRefused(ClientError):
    """The change was not made (nothing was stored); the message says why, naming the field."""

    title = "Change refused"


def check_permission(acting_user: AbstractBaseUser | None, permission: str, *, to: str = "make this change") -> None:
    """The one acting-user guard of every audited action (slot switches use it too)."""
    # acting_user None is the shell operator (manage.py without --user): shell access is trust.
    if acting_user is not None and not acting_user.has_perm(permission):
        raise PermissionDenied(f"{acting_user} may not {to} (needs {permission})")


def change_permission(model_class: type[models.Model]) -> str:
    return f"{model_class._meta.app_label}.change_{model_class._meta.model_name}"


def require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise EditRefused("reason: a reason is required")
    if len(reason.strip()) > REASON_MAX_CHARS:
        raise EditRefused(f"reason: at most {REASON_MAX_CHARS} characters ({len(reason.strip())} given)")
    return reason.strip()


def as_json(obj: models.Model, name: str) -> Any:
    """A field's value as the audit row keeps it: a foreign key by its name, decimals as text."""
    value = getattr(obj, name)
    if isinstance(value, Provider):
        return value.name
    if isinstance(value, Decimal):
        return str(value)
    return value


def assign(obj: models.Model, changes: dict[str, Any]) -> None:
    """Set each named field on `obj` (a provider given by name, as the audit row keeps it)."""
    for name, value in changes.items():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            raise EditRefused(f"{name}: {obj._meta.verbose_name} has no such field") from None
        if not field.editable or field.primary_key:
            raise EditRefused(f"{name}: not editable")
        if field.is_relation:
            if isinstance(value, str):
                found = field.related_model.objects.filter(name=value).first()
                if found is None:
                    raise EditRefused(f"{name}: there is no {field.related_model._meta.verbose_name} named {value!r}")
                value = found
            setattr(obj, name, value)
        else:
            try:
                setattr(obj, name, field.to_python(value))
            except ValidationError as exc:
                raise EditRefused(f"{name}: {' '.join(exc.messages)}") from None


def diff(before: models.Model, after: models.Model, names: Iterable[str]) -> tuple[dict, dict]:
    changed = [name for name in names if as_json(before, name) != as_json(after, name)]
    return {n: as_json(before, n) for n in changed}, {n: as_json(after, n) for n in changed}


def full_clean(obj: models.Model) -> None:
    """Django's own validation of the candidate, as a refusal that names the field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise EditRefused("; ".join(f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                                    for name, messages in exc.message_dict.items())) from None


def commit(candidate: models.Model, *, object_type: str, label: str, before: dict, after: dict,
           acting_user: AbstractBaseUser | None, reason: str, force: bool, kind: str) -> CatalogChange:
    """Save the candidate and its audit row in one transaction, unless the row changed since it
    was read (another edit in between): then nothing is written."""
    model_class = type(candidate)
    with transaction.atomic():
        locked = model_class.objects.select_for_update().filter(pk=candidate.pk).first()
        if locked is None:
            raise EditRefused(f"{label} no longer exists")
        if any(as_json(locked, name) != value for name, value in before.items()):
            raise EditRefused(f"{label} was changed meanwhile; reload and try again")
        candidate.save(update_fields=list(after))
        return CatalogChange.objects.create(
            kind=kind, object_type=object_type, object_id=candidate.pk, object_label=label, before=before,
            after=after, acting_user=acting_user, reason=reason, forced=force)


def edit(obj: models.Model, changes: dict[str, Any], *, object_type: str, acting_user: AbstractBaseUser | None,
         reason: str, force: bool, kind: str, validate: Callable[[models.Model, models.Model, set[str]], None],
         label: Callable[[models.Model], str] = str) -> CatalogChange:
    """The shape of every catalog edit: permission, reason, candidate, validation (and probe, in
    `validate`, outside the transaction: a slow provider must not hold the write lock), commit."""
    model_class = type(obj)
    check_permission(acting_user, change_permission(model_class))
    reason = require_reason(reason)
    current = model_class.objects.filter(pk=obj.pk).first()
    if current is None:
        raise EditRefused(f"{obj} does not exist")
    candidate = model_class.objects.get(pk=obj.pk)
    assign(candidate, changes)
    before, after = diff(current, candidate, changes)
    if not after:
        raise EditRefused(f"{label(current)}: nothing to change")
    full_clean(candidate)
    validate(current, candidate, set(after))
    return commit(candidate, object_type=object_type, label=label(candidate), before=before, after=after,
                  acting_user=acting_user, reason=reason, force=force, kind=kind)


def serving_slots(model_ids: Iterable[int]) -> list[str]:
    """The slots a model serves (as champion or canary challenger)."""
    ids = list(model_ids)
    return sorted(Slot.objects.filter(models.Q(model_id__in=ids) | models.Q(challenger_id__in=ids))
                  .values_list("name", flat=True).distinct())


def probe_or_refuse(model: AIModel, *, slot_name: str, force: bool) -> None:
    if force:
        return
    probe = probe_model(model, slot_name=slot_name)
    if not probe.ok:
        raise EditRefused(f"{model.key} would fail its live probe after this change ({probe.error}); "
                          "use force with a reason to override")


# The runtime parameters the product reads (the engine's command line, the prompt builders), each
# with what it accepts; anything else would be stored and silently ignored, or break a request.
PARAMETERS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "n_ctx": ("an integer from 128 to 131072", lambda v: type(v) is int and 128 <= v <= 131072),
    "n_threads": ("an integer from 1 to 256", lambda v: type(v) is int and 1 <= v <= 256),
    "json_grammar": ("true or false", lambda v: type(v) is bool),
    "why_shape": ('"short"', lambda v: v == "short"),
}


def check_parameters(value: Any) -> None:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise EditRefused('parameters: must be an object of name → value, e.g. {"n_ctx": 2048}')
    for name, given in value.items():
        if name not in PARAMETERS:
            raise EditRefused(f"parameters: {name!r} is not a parameter the product reads "
                              f"(known: {', '.join(sorted(PARAMETERS))})")
        accepts, valid = PARAMETERS[name]
        if not valid(given):
            raise EditRefused(f"parameters: {name} must be {accepts}, not {given!r}")


def check_stage_settings(model: AIModel) -> None:
    """Refused unless every stage's settings read as serving reads them (ModelRef.settings_for)."""
    value = model.stage_settings
    if not isinstance(value, dict):
        raise EditRefused('stage_settings: must be an object per stage, e.g. {"narrative": {"max_tokens": 48}}')
    for stage, own in value.items():
        if stage not in STAGES:
            raise EditRefused(f"stage_settings: unknown stage {stage!r} (stages: {', '.join(STAGES)})")
        if not isinstance(own, dict) or set(own) - set(GENERATION_KEYS):
            raise EditRefused(f"stage_settings: {stage} must be an object with only {', '.join(GENERATION_KEYS)}")
        if "stop" in own and not (isinstance(own["stop"], list) and all(isinstance(s, str) for s in own["stop"])):
            raise EditRefused(f"stage_settings: {stage}.stop must be a list of strings")
        try:
            settings = model_ref(model).settings_for(stage, GenerationSettings())
        except (TypeError, ValueError):
            raise EditRefused(f"stage_settings: {stage} has a max_tokens or temperature that is not a number") from None
        if settings.max_tokens < 1 or not 0 <= settings.temperature <= 2:
            raise EditRefused(f"stage_settings: {stage} needs max_tokens ≥ 1 and a temperature between 0 and 2")


def validate_model(current: AIModel, candidate: AIModel, changed: set[str], *, force: bool) -> None:
    if "parameters" in changed:
        check_parameters(candidate.parameters)
    if "stage_settings" in changed:
        check_stage_settings(candidate)
    slots = serving_slots([candidate.pk])
    if not slots or not changed & set(MODEL_REACH_FIELDS):
        return
    if candidate.status != AIModel.Status.ENABLED:
        raise EditRefused(f"status: {candidate.key} serves {', '.join(slots)}; switch the slot to another model first")
    if not candidate.provider.enabled:
        raise EditRefused(f"provider: {candidate.provider.name} is disabled and {candidate.key} serves "
                          f"{', '.join(slots)}")
    probe_or_refuse(candidate, slot_name=slots[0], force=force)


def edit_model(model: AIModel, changes: dict[str, Any], *, acting_user: AbstractBaseUser | None, reason: str,
               force: bool = False, kind: str = CatalogChange.Kind.EDIT) -> CatalogChange:
    """Change some of a model's fields (a provider may be given by name)."""
    return edit(model, changes, object_type=CatalogChange.ObjectType.MODEL, acting_user=acting_user, reason=reason,
                force=force, kind=kind, label=lambda m: m.key,
                validate=lambda current, candidate, changed: validate_model(current, candidate, changed, force=force))


def validate_provider(current: Provider, candidate: Provider, changed: set[str], *, force: bool) -> None:
    if not changed & set(PROVIDER_REACH_FIELDS):
        return
    in_a_slot = models.Q(pk__in=Slot.objects.values("model")) | models.Q(pk__in=Slot.objects.values("challenger"))
    serving = list(AIModel.objects.filter(in_a_slot, provider=candidate))
    if not serving:
        return
    keys = ", ".join(m.key for m in serving)
    if not candidate.enabled:
        raise EditRefused(f"enabled: {candidate.name} serves {keys} in a slot; switch the slot to another model first")
    for model in serving:
        model.provider = candidate  # probed as it will be called once the edit is saved
        probe_or_refuse(model, slot_name=serving_slots([model.pk])[0], force=force)


def check_endpoint_permission(acting_user: AbstractBaseUser | None, names: Iterable[str]) -> None:
    """Where calls go and which secret they send take a permission of their own."""
    touched = [name for name in Provider.ENDPOINT_FIELDS if name in set(names)]
    if touched:
        check_permission(acting_user, Provider.ENDPOINT_PERMISSION,
                         to=f"set a provider's {', '.join(touched)} (where its calls go, which secret they send)")


def edit_provider(provider: Provider, changes: dict[str, Any], *, acting_user: AbstractBaseUser | None, reason: str,
                  force: bool = False, kind: str = CatalogChange.Kind.EDIT) -> CatalogChange:
    """Change some of a provider's fields; its models that serve a slot are probed through it."""
    check_endpoint_permission(acting_user, changes)
    return edit(provider, changes, object_type=CatalogChange.ObjectType.PROVIDER, acting_user=acting_user,
                reason=reason, force=force, kind=kind, label=lambda p: p.name,
                validate=lambda current, candidate, changed: validate_provider(current, candidate, changed, force=force))


def create(obj: models.Model, *, object_type: str, label: str, acting_user: AbstractBaseUser | None, reason: str,
           validate: Callable[[models.Model], None] = lambda obj: None) -> CatalogChange:
    """A new catalog row and its audit row (`after` holds every field), in one transaction."""
    model_class = type(obj)
    check_permission(acting_user, f"{model_class._meta.app_label}.add_{model_class._meta.model_name}")
    reason = require_reason(reason)
    full_clean(obj)
    validate(obj)
    names = [f.name for f in model_class._meta.concrete_fields if f.editable and not f.primary_key]
    with transaction.atomic():
        obj.save()
        return CatalogChange.objects.create(
            kind=CatalogChange.Kind.CREATE, object_type=object_type, object_id=obj.pk, object_label=label,
            before={}, after={n: as_json(obj, n) for n in names}, acting_user=acting_user, reason=reason)


def delete(obj: models.Model, *, object_type: str, label: str, acting_user: AbstractBaseUser | None,
           reason: str) -> CatalogChange:
    """Remove a catalog row; its audit row keeps every field in `before`."""
    model_class = type(obj)
    check_permission(acting_user, f"{model_class._meta.app_label}.delete_{model_class._meta.model_name}")
    reason = require_reason(reason)
    names = [f.name for f in model_class._meta.concrete_fields if f.editable and not f.primary_key]
    with transaction.atomic():
        change = CatalogChange.objects.create(
            kind=CatalogChange.Kind.DELETE, object_type=object_type, object_id=obj.pk, object_label=label,
            before={n: as_json(obj, n) for n in names}, after={}, acting_user=acting_user, reason=reason)
        try:
            obj.delete()
        except models.ProtectedError:
            raise EditRefused(f"{label} is still in use (a slot, a probe or a change refers to it)") from None
        return change


def create_model(model: AIModel, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    """A new model serves nothing until a slot is switched to it (which probes it)."""
    def validate(candidate: AIModel) -> None:
        check_parameters(candidate.parameters)
        check_stage_settings(candidate)

    return create(model, object_type=CatalogChange.ObjectType.MODEL, label=model.key, acting_user=acting_user,
                  reason=reason, validate=validate)


def create_provider(provider: Provider, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    check_endpoint_permission(acting_user, [name for name in Provider.ENDPOINT_FIELDS if getattr(provider, name)])
    return create(provider, object_type=CatalogChange.ObjectType.PROVIDER, label=provider.name,
                  acting_user=acting_user, reason=reason)


def delete_model(model: AIModel, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    if serving_slots([model.pk]):
        raise EditRefused(f"{model.key} serves a slot; switch the slot to another model first")
    return delete(model, object_type=CatalogChange.ObjectType.MODEL, label=model.key, acting_user=acting_user,
                  reason=reason)


def delete_provider(provider: Provider, *, acting_user: AbstractBaseUser | None, reason: str) -> CatalogChange:
    return delete(provider, object_type=CatalogChange.ObjectType.PROVIDER, label=provider.name,
                  acting_user=acting_user, reason=reason)
