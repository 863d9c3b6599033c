"""Read side of the model catalog: resolve keys and build the route a request pins.

The route is built from the slots (with their models and providers) and the routing policy,
which each process keeps as a local copy (energy.local_copies) revalidated against a version
token: a committed switch, policy edit, or model or provider edit reaches every ASGI worker and
every qcluster worker within LOCAL_COPY_RECHECK_S, and the requests in between read no rows.
"""

import hashlib
import json
import logging
from dataclasses import asdict

from energy.llm.base import STAGES, CouncilSpec, ModelRef, Route, RouteRule
from energy.local_copies import Derived, LocalCopy
from energy.problems import ClientError
from evaluation.catalog.policy import DEFAULT_POLICY, PolicyInvalid, PolicySpec, read_stored
from evaluation.figures import stable_bucket
from evaluation.models import AIModel, Provider, RoutingPolicy, Slot

logger = logging.getLogger(__name__)

RULES_KEY = "builtin/rules"
SLOT_NAMES = ("fast", "accurate")


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
    council = council_spec(model) if provider.kind == Provider.Kind.COUNCIL else None
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
        council=council,
    )


# What building a council's ModelRef reads, for a query that fetches councils with their models.
COUNCIL_RELATIONS = ("council__members__provider", "council__chairman__provider")


def council_spec(model: AIModel) -> CouncilSpec | None:
    """The council as a request pins it: its servable members, and its chairman, or the rules
    engine (which serves the best-ranked answer) when the chairman cannot serve. None when the
    entry has no council row or too few servable members to reach its minimum."""
    council = getattr(model, "council", None)
    if council is None:
        return None
    members = sorted((m for m in council.members.all() if servable(m)), key=lambda m: m.key)
    if len(members) < council.min_answers:
        return None
    return CouncilSpec(
        members=tuple(model_ref(m) for m in members),
        chairman=model_ref(council.chairman) if servable(council.chairman) else rules_ref(),
        min_answers=council.min_answers, ranking_share=council.ranking_share,
        answers_timeout_s=council.answers_timeout_s, ranking_timeout_s=council.ranking_timeout_s,
        synthesis_timeout_s=council.synthesis_timeout_s,
    )


def rules_ref() -> ModelRef:
    return ModelRef(key=RULES_KEY, provider_kind="rules", prompt_style="rules")


def servable(model: AIModel | None) -> bool:
    """Enabled, on an enabled provider; a council also needs enough servable members."""
    if model is None or model.status != AIModel.Status.ENABLED or not model.provider.enabled:
        return False
    return model.provider.kind != Provider.Kind.COUNCIL or council_spec(model) is not None


def canary_arm(slot: Slot, request_key: str) -> str:
    """Deterministic per request key, so a retry of the same request lands on the same side."""
    if not slot.challenger_id or slot.challenger_share <= 0 or not request_key:
        return "champion"
    bucket = stable_bucket(slot.name, request_key)
    return "challenger" if bucket < slot.challenger_share else "champion"


def policy() -> RoutingPolicy:
    return RoutingPolicy.objects.filter(pk=1).first() or RoutingPolicy(pk=1)


def build_chain(slot_names: list[str], models_by_slot: dict[str, AIModel], *,
                degrade_to_rules: bool) -> tuple[ModelRef, ...]:
    """The slots' models in order, each model once, unservable ones skipped, rules last
    (unless the policy turned that off: then a stage whose models all fail fails)."""
    chain: list[ModelRef] = []
    for name in slot_names:
        model = models_by_slot.get(name)
        if servable(model) and all(ref.key != model.key for ref in chain):
            chain.append(model_ref(model))
    if degrade_to_rules and all(ref.key != RULES_KEY for ref in chain):
        chain.append(rules_ref())
    return tuple(chain)


def catalog_revision(chains: dict[str, tuple[ModelRef, ...]], rules: tuple[RouteRule, ...]) -> str:
    """A digest of every model the route can call, exactly as it will be called.

    Disabling a model or its provider drops it from the chains, and editing its prompt style,
    parameters, prices or timeouts changes its ModelRef, so a cached answer is never served for a
    route that would now run differently. Built from the rows the route was built from, it costs
    no query; an aggregate over AIModel/Provider could not see a disable (they have no
    `updated_at`, and a disable moves neither the row count nor the max id)."""
    def refs(chain: tuple[ModelRef, ...]) -> list[dict]:
        return [asdict(ref) for ref in chain]

    material = {"stages": {stage: refs(chain) for stage, chain in chains.items()},
                "rules": [refs(rule.chain) for rule in rules]}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()[:12]


def applied_policy(routing: RoutingPolicy) -> tuple[PolicySpec, tuple[dict, ...]]:
    """The stored policy as serving applies it, or — when it cannot be applied (written around
    the audited edit) — the default policy and a warning the answer carries in its errors:
    a bad policy degrades routing, it never takes serving down."""
    try:
        return read_stored(routing), ()
    except PolicyInvalid as exc:
        logger.warning("the stored routing policy cannot be applied (%s): serving with the default policy", exc)
        return DEFAULT_POLICY, ({"kind": "policy_invalid",
                                 "message": f"the stored routing policy cannot be applied ({exc}); "
                                            "the default policy served this request"},)


def routing_rows() -> tuple[dict[str, Slot], RoutingPolicy]:
    slots = Slot.objects.select_related("model__provider", "challenger__provider").prefetch_related(
        *(f"{side}__{relation}" for side in ("model", "challenger") for relation in COUNCIL_RELATIONS))
    return {s.name: s for s in slots}, policy()


# evaluation.apps connects the models it is built from.
ROUTING: LocalCopy[tuple[dict[str, Slot], RoutingPolicy]] = LocalCopy("routing", routing_rows)


# {(mode, canary arms): route} for one copy of the routing rows: every request of a mode on the
# same arms gets the same route until the rows change, and building it anew cost 6 % of a cache
# hit's time. Threads racing on a key at worst build its route twice.
_routes: Derived[tuple, dict[tuple, Route]] = Derived(lambda rows: {})


def active_route(mode: str, request_key: str = "") -> Route:
    rows = ROUTING.get()
    slots, routing = rows
    arms = {name: canary_arm(slot, request_key) for name, slot in slots.items()}
    routes = _routes(rows)
    key = (mode, tuple(sorted(arms.items())))
    route = routes.get(key)
    if route is None:
        route = routes[key] = build_route(mode, slots, routing, arms)
    return route


def build_route(mode: str, slots: dict[str, Slot], routing: RoutingPolicy, arms: dict[str, str]) -> Route:
    spec, warnings = applied_policy(routing)
    models_by_slot = {name: (slot.challenger if arms[name] == "challenger" else slot.model) for name, slot in slots.items()}
    fallback = spec.fallback(mode)
    degrade = spec.degrade_to_rules
    chains = {stage: build_chain([spec.stage_slot(mode, stage), *fallback], models_by_slot, degrade_to_rules=degrade)
              for stage in STAGES}
    rules = tuple(
        RouteRule(stage=rule.stage, signal=rule.signal, above=rule.above,
                  chain=build_chain([rule.slot, *fallback], models_by_slot, degrade_to_rules=degrade))
        for rule in spec.rules
    )
    # The version keys the response cache. The arm is part of it: a response cached on one side
    # of a canary must never be served to a request on the other.
    policy_version = "invalid" if warnings else (routing.updated_at.isoformat() if routing.updated_at else "default")
    version = ";".join(
        f"{name}={slot.model.key}"
        + (f"+{slot.challenger.key}@{slot.challenger_share}%:{arms[name]}" if slot.challenger_id else "")
        for name, slot in sorted(slots.items())
    ) + (f";policy@{policy_version}"
         f";catalog@{catalog_revision(chains, rules)}")
    return Route(chains=chains, version=version, rules=rules, arms=arms, warnings=warnings)
