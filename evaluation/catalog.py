"""Read side of the model catalog: resolve keys and build the route a request pins."""

from energy.llm.base import STAGES, ModelRef, Route
from evaluation.models import AIModel, Slot

RULES_KEY = "builtin/rules"
# Which slots a request of each mode tries, in order, before the rules engine.
MODE_SLOTS = {"fast": ("fast", "accurate"), "accurate": ("accurate",)}


class UnknownModelError(LookupError):
    pass


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


def active_route(mode: str) -> Route:
    """The fallback chain for `mode`: its slots in order, then the rules engine, each model
    once. Disabled models and providers are skipped, so a chain is never empty."""
    slots = {s.name: s for s in Slot.objects.select_related("model__provider")}
    chain: list[ModelRef] = []
    for slot_name in MODE_SLOTS[mode]:
        slot = slots.get(slot_name)
        if slot is None or slot.model.status != AIModel.Status.ENABLED or not slot.model.provider.enabled:
            continue
        ref = model_ref(slot.model)
        if all(ref.key != existing.key for existing in chain):
            chain.append(ref)
    if all(ref.key != RULES_KEY for ref in chain):
        chain.append(rules_ref())
    version = ",".join(f"{name}={slots[name].model.key}@{slots[name].updated_at.isoformat()}" for name in sorted(slots))
    return Route(chains={stage: tuple(chain) for stage in STAGES}, version=version)
