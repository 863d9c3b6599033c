"""Slot health: the latest probe of each slot's models, and how old it is."""

from django.utils import timezone

from evaluation.catalog.probes import probe_model
from evaluation.models import ModelProbe, Slot

PROBE_SCHEDULE_NAME = "probe slot models"
PROBE_EVERY_MINUTES = 1


def probe_slots() -> list[ModelProbe]:
    """One live probe per model serving a slot (champion and challenger)."""
    probes = []
    for slot in Slot.objects.select_related("model__provider", "challenger__provider"):
        for model in filter(None, (slot.model, slot.challenger)):
            probes.append(probe_model(model, slot_name=slot.name))
    return probes


def latest_probe(model_id: int) -> ModelProbe | None:
    return ModelProbe.objects.filter(model_id=model_id).first()


def probe_age_s(probe: ModelProbe | None) -> float | None:
    return None if probe is None else (timezone.now() - probe.created_at).total_seconds()
