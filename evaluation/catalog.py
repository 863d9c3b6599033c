"""Read side of the model catalog: resolve keys and build the route a request pins.

The route is read from the database for every request (one query for the slots, one for the
policy), so a committed switch is seen by every ASGI worker and every qcluster worker on their
next request: no process keeps routing state of its own.
"""

import hashlib

from energy.llm.base import STAGES, ModelRef, Route, RouteRule
from energy.problems import ClientError
from evaluation.models import AIModel, RoutingPolicy, Slot

RULES_KEY = "builtin/rules"
SLOT_NAMES = ("fast", "accurate")
# Slots tried after a stage's own slot, per mode, unless the routing policy says otherwise.
DEFAULT_FALLBACK_SLOTS = {"fast": ["accurate"], "accurate": []}


class UnknownModelError(ClientError, LookupError):
    """A key or alias that names no catalog model; the API answers it with 404."""

    status = 404
    title = "Unknown model"


def get_model(key_or_alias: str) -> AIModel:
    """The catalog model for a canonical key or one of its aliases."""
    model = AIModel.objects.select_related("provider").filter(key=key_or_alias).first()
    if model is None:
        model = next(
            (m for m in AIModel.objects.select_related("provider").exclude(aliases=[]) if key_or_alias in m.aliases),
            None,
        )
    if model is None:
        raise UnknownModelError(f"unknown model: {key_or_alias!r}")
    return model


def model_ref(model: AIModel) -> ModelRef:
    provider = model.provider
    return ModelRef(
        key=model.key,
        provider_kind=provider.kind,
        provider_model=model.provider_model,
        base_url=provider.base_url,
        account_id=provider.account_id,
        secret_env=provider.secret_env,
        prompt_style=model.prompt_style,
        parameters=dict(model.parameters),
        stage_settings=dict(model.stage_settings),
        price_input_per_mtok=model.price_input_per_mtok,
        price_output_per_mtok=model.price_output_per_mtok,
        connect_timeout_s=provider.connect_timeout_s,
        read_timeout_s=provider.read_timeout_s,
        max_concurrency=provider.max_concurrency,
    )


def rules_ref() -> ModelRef:
    return ModelRef(key=RULES_KEY, provider_kind="rules", prompt_style="rules")


def servable(model: AIModel | None) -> bool:
    return model is not None and model.status == AIModel.Status.ENABLED and model.provider.enabled


def canary_arm(slot: Slot, request_key: str) -> str:
    """Deterministic per request key, so a retry of the same request lands on the same side."""
    if not slot.challenger_id or slot.challenger_share <= 0 or not request_key:
        return "champion"
    bucket = int(hashlib.sha256(f"{slot.name}:{request_key}".encode()).hexdigest()[:8], 16) % 100
    return "challenger" if bucket < slot.challenger_share else "champion"


def policy() -> RoutingPolicy:
    return RoutingPolicy.objects.filter(pk=1).first() or RoutingPolicy(pk=1)


def build_chain(slot_names: list[str], models_by_slot: dict[str, AIModel]) -> tuple[ModelRef, ...]:
    """The slots' models in order, each model once, unservable ones skipped, rules last."""
    chain: list[ModelRef] = []
    for name in slot_names:
        model = models_by_slot.get(name)
        if servable(model) and all(ref.key != model.key for ref in chain):
            chain.append(model_ref(model))
    if all(ref.key != RULES_KEY for ref in chain):
        chain.append(rules_ref())
    return tuple(chain)


def active_route(mode: str, request_key: str = "") -> Route:
    slots = {s.name: s for s in Slot.objects.select_related("model__provider", "challenger__provider")}
    routing = policy()
    arms = {name: canary_arm(slot, request_key) for name, slot in slots.items()}
    models_by_slot = {name: (slot.challenger if arms[name] == "challenger" else slot.model) for name, slot in slots.items()}
    fallback = list(routing.fallback_slots.get(mode, DEFAULT_FALLBACK_SLOTS.get(mode, [])))
    stage_slots = routing.stage_slots.get(mode, {})
    chains = {stage: build_chain([stage_slots.get(stage, mode), *fallback], models_by_slot) for stage in STAGES}
    rules = tuple(
        RouteRule(stage=rule["stage"], signal=rule["signal"], above=float(rule["above"]),
                  chain=build_chain([rule["slot"], *fallback], models_by_slot))
        for rule in routing.rules
    )
    # The arm is part of the version: a response cached on one side of a canary must never be
    # served to a request on the other.
    version = ";".join(
        f"{name}={slot.model.key}"
        + (f"+{slot.challenger.key}@{slot.challenger_share}%:{arms[name]}" if slot.challenger_id else "")
        for name, slot in sorted(slots.items())
    ) + f";policy@{routing.updated_at.isoformat() if routing.updated_at else 'default'}"
    return Route(chains=chains, version=version, rules=rules, arms=arms)
