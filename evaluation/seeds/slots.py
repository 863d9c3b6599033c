"""The slots a fresh install starts with, each audited like any later switch: `fast` and
`accurate`, the request modes, and `exact`, which the routing policy gives the stages whose
answer the facts determine (docs/ai-model-analysis.md, "Per-stage combinations")."""

from evaluation.models import AIModel, Slot, SlotChange

INITIAL_SLOTS = {"fast": "local/gemma-3-270m", "accurate": "builtin/rules", "exact": "builtin/rules"}


def seed_slots() -> list[Slot]:
    """Create the missing slots and return all of them. A slot that exists is never
    re-pointed: it may have been switched on purpose."""
    slots = []
    for name, model_key in INITIAL_SLOTS.items():
        model = AIModel.objects.get(key=model_key)
        slot, created = Slot.objects.get_or_create(name=name, defaults={"model": model})
        if created:
            SlotChange.objects.create(
                slot=slot, from_model=None, to_model=model, acting_user=None, reason="initial seed"
            )
        slots.append(slot)
    return slots
