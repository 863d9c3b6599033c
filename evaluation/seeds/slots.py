"""The slots a fresh install starts with, each audited like any later switch: `fast` and
`accurate`, the request modes, and `exact`, which the routing policy gives the stages whose
answer the facts determine (docs/ai-model-analysis.md, "Per-stage combinations").

`MODEL_TIER` (speed / balanced / cost) chooses the tier whose models the slots start on, when a
database is first seeded. A value that names no tier logs a warning and seeds `balanced`; a
tier's model that cannot serve here (disabled, or its provider's secret is not in the
environment) logs a warning and leaves its slot on the embedded default."""

import logging

from django.conf import settings

from evaluation.catalog.routes import servable
from evaluation.models import AIModel, Slot, SlotChange
from evaluation.seeds.routing import TIERS

logger = logging.getLogger(__name__)

INITIAL_SLOTS = {"fast": "local/gemma-3-270m", "accurate": "builtin/rules", "exact": "builtin/rules"}
DEFAULT_TIER = "balanced"


def chosen_tier() -> dict:
    by_name = {tier["name"]: tier for tier in TIERS}
    if settings.MODEL_TIER not in by_name:
        logger.warning("MODEL_TIER=%r is not a tier (%s): seeding the %s tier", settings.MODEL_TIER,
                       ", ".join(by_name), DEFAULT_TIER)
        return by_name[DEFAULT_TIER]
    return by_name[settings.MODEL_TIER]


def initial_models(tier: dict) -> dict[str, AIModel]:
    """Each slot's first model: the tier's where it can serve here, else the embedded default."""
    models = {model.key: model for model in AIModel.objects.select_related("provider").filter(
        key__in={*INITIAL_SLOTS.values(), *tier["assignments"].values()})}
    chosen = {}
    for slot, default_key in INITIAL_SLOTS.items():
        wanted = models.get(tier["assignments"].get(slot, default_key))
        if wanted is not None and servable(wanted) and wanted.provider.secret_configured:
            chosen[slot] = wanted
            continue
        logger.warning("the %s tier puts %s in the %s slot, which cannot serve here (disabled, or its provider's "
                       "secret is not set): the slot starts on %s", tier["name"], tier["assignments"].get(slot),
                       slot, default_key)
        chosen[slot] = models[default_key]
    return chosen


def seed_slots() -> list[Slot]:
    """Create the missing slots and return all of them. A slot that exists is never
    re-pointed: it may have been switched on purpose."""
    if Slot.objects.filter(name__in=INITIAL_SLOTS).count() == len(INITIAL_SLOTS):
        return list(Slot.objects.filter(name__in=INITIAL_SLOTS).select_related("model").order_by("name"))
    tier = chosen_tier()  # read (and warned about) only when there is a slot to seed
    slots = []
    for name, model in initial_models(tier).items():
        slot, created = Slot.objects.get_or_create(name=name, defaults={"model": model})
        if created:
            SlotChange.objects.create(
                slot=slot, from_model=None, to_model=model, acting_user=None,
                reason=f"initial seed (MODEL_TIER {tier['name']})",
            )
        slots.append(slot)
    return slots
