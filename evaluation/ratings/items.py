"""Which outputs raters see: benchmark results and a configurable sample of live
recommendations, copied into RatingItems so the rating pages never touch model names."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction

from energy.models import Recommendation
from evaluation.figures import route_label, stable_bucket
from evaluation.models import BenchmarkUnit, RatingItem


def unit_models(unit: BenchmarkUnit) -> dict[str, str]:
    """Which model produced each stage of a benchmark output (the rules fallback when the
    candidate's answer was rejected)."""
    return {stage: record["model"] if record.get("served_by_candidate") else "builtin/rules"
            for stage, record in unit.stages.items()}


def in_live_sample(recommendation_id: object) -> bool:
    """A stable sample: the same recommendation is always in or always out."""
    return stable_bucket(recommendation_id) < settings.RATING_LIVE_SAMPLE_PCT


def collect(limit: int = 200) -> int:
    """Create items for outputs not yet in the queue. Returns how many were created."""
    created = 0
    units = (BenchmarkUnit.objects.filter(status=BenchmarkUnit.Status.SUCCEEDED, is_warmup=False, rating_item__isnull=True)
             .select_related("route", "scenario").order_by("-id")[:limit])
    for unit in units:
        created += _create(source=RatingItem.Source.BENCHMARK, unit=unit, scenario_key=f"scenario:{unit.scenario_id}",
                           model_key=route_label(unit_models(unit)),
                           payload=unit.output, inputs=unit.scenario.payload, automatic_quality=unit.quality_score)
    recent = (Recommendation.objects.filter(status=Recommendation.Status.SUCCEEDED, rating_item__isnull=True)
              .order_by("-created_at")[:limit])
    for recommendation in recent:
        if in_live_sample(recommendation.pk):
            created += _create(source=RatingItem.Source.LIVE, recommendation=recommendation,
                               scenario_key=f"input:{hashlib.sha256(repr(recommendation.inputs).encode()).hexdigest()[:16]}",
                               model_key=route_label(recommendation.models_used),
                               payload=recommendation.output.get("data", {}), inputs=recommendation.inputs)
    return created


def _create(**fields) -> int:
    try:
        with transaction.atomic():
            RatingItem.objects.create(**fields)
        return 1
    except IntegrityError:  # another request collected it first
        return 0
