"""The evidence of each model's quality: every benchmark unit and a configurable sample of live
recommendations, copied into RatingItems so the rating pages never touch model names.

An item keeps both the route that was asked to serve (`asked_key`, whose figure it counts in)
and the models that actually served (`model_key`): when the asked model's answer was refused and
the rules engine served the stage instead, that is the asked model's failure, never the rules
engine's success. A unit or sampled recommendation that ended without an output is an item too
(`failed`): it scores 0 in the asked route's automatic figure and is never shown to raters.

Items are written when outputs are produced, never on a page view: a benchmark unit's item
when the unit ends (`collect_unit`, from the benchmark execution), and live samples by the
scheduled task `evaluation.tasks.collect_rating_items` (`collect`).

`collect` reads the recommendations once each, in (created_at, id) order, from a high-water mark
kept in the database (RatingCollectionMark), at most LIVE_BATCH per run. The mark never passes a
recommendation still running (unless it is older than STALE_RECOMMENDATION_S: its worker died),
nor one created in the last SETTLE (an insert that committed late must not be skipped); those
are read again next time, and the one-item-per-recommendation constraint keeps that harmless."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from energy.models import Recommendation
from evaluation.figures import route_label, stable_bucket
from evaluation.models import BenchmarkUnit, RatingCollectionMark, RatingItem
from evaluation.ratings.live_quality import live_quality

LIVE_BATCH = 2000  # recommendations read per run; the task runs every minute
UNIT_BATCH = 500  # benchmark units without an item (e.g. from before items were written at a unit's end)
SETTLE = timedelta(seconds=5)
LIVE_MARK = "live"


def unit_models(unit: BenchmarkUnit) -> dict[str, str]:
    """Which model produced each stage of a benchmark output (the rules fallback when the
    candidate's answer was rejected)."""
    return {stage: record["model"] if record.get("served_by_candidate") else "builtin/rules"
            for stage, record in unit.stages.items()}


def in_live_sample(recommendation_id: object) -> bool:
    """A stable sample: the same recommendation is always in or always out."""
    return stable_bucket(recommendation_id) < settings.RATING_LIVE_SAMPLE_PCT


def asked_models(route: dict, models_used: dict[str, str]) -> dict[str, str]:
    """Which model a live recommendation's pinned route asked for each stage: the first of the
    stage's chain, or of a rule's chain when the model that served heads one (a rule moved the
    stage there for a hard input). Any other model that served was a fallback."""
    asked = {}
    for stage, served in models_used.items():
        heads = [chain[0] for chain in [route.get("stages", {}).get(stage) or []] +
                 [rule.get("chain") or [] for rule in route.get("rules", []) if rule.get("stage") in (stage, "*")] if chain]
        asked[stage] = served if served in heads or not heads else heads[0]
    return asked


def collect_unit(unit: BenchmarkUnit) -> int:
    """The item of a benchmark unit that ended (warm-ups never count). Returns 1 when it was
    created, 0 otherwise."""
    if unit.is_warmup or unit.status not in BenchmarkUnit.TERMINAL:
        return 0
    asked = route_label(unit.route.stage_models)
    if unit.status == BenchmarkUnit.Status.FAILED:
        return _create(source=RatingItem.Source.BENCHMARK, unit=unit, scenario_key=f"scenario:{unit.scenario_id}",
                       asked_key=asked, model_key=asked, failed=True, payload={}, inputs=unit.scenario.payload,
                       automatic_quality=0.0)
    return _create(source=RatingItem.Source.BENCHMARK, unit=unit, scenario_key=f"scenario:{unit.scenario_id}",
                   asked_key=asked, model_key=route_label(unit_models(unit)),
                   payload=unit.output, inputs=unit.scenario.payload, automatic_quality=unit.quality_score)


def collect(*, batch: int = LIVE_BATCH, now: datetime | None = None) -> int:
    """Create the items not yet collected: sampled live recommendations past the mark, and any
    ended benchmark unit left without one. Returns how many were created."""
    units = (BenchmarkUnit.objects.filter(status__in=BenchmarkUnit.TERMINAL, is_warmup=False, rating_item__isnull=True)
             .select_related("scenario", "route").order_by("id")[:UNIT_BATCH])
    created = sum(collect_unit(unit) for unit in units)
    return created + collect_live(batch=batch, now=now)


def failed_in_a_stage(errors: list) -> bool:
    """Whether a failed recommendation failed for its models: a stage ran out of them. One the
    client cancelled, or that named a plan that does not exist, tells nothing about any model."""
    return any(isinstance(error, dict) and error.get("stage") and error.get("kind") != "cancelled" for error in errors or [])


def live_item(recommendation: Recommendation) -> dict | None:
    """A sampled live recommendation's item fields: a failed one is a failure of the route it
    asked, when its models failed (None when nothing about them can be learnt from it)."""
    scenario_key = f"input:{hashlib.sha256(repr(recommendation.inputs).encode()).hexdigest()[:16]}"
    fields = {"source": RatingItem.Source.LIVE, "recommendation": recommendation, "scenario_key": scenario_key,
              "inputs": recommendation.inputs}
    models_used = recommendation.models_used or {}
    if recommendation.status == Recommendation.Status.FAILED:
        if not failed_in_a_stage(recommendation.errors):
            return None
        asked = route_label({stage: chain[0] for stage, chain in recommendation.route.get("stages", {}).items() if chain})
        return {**fields, "asked_key": asked, "model_key": asked, "failed": True, "payload": {}, "automatic_quality": 0.0}
    asked = asked_models(recommendation.route, models_used)
    payload = (recommendation.output or {}).get("data", {})
    return {**fields, "asked_key": route_label(asked), "model_key": route_label(models_used), "payload": payload,
            "automatic_quality": live_quality(recommendation.inputs, payload, asked, models_used, recommendation.errors)}


def collect_live(*, batch: int = LIVE_BATCH, now: datetime | None = None) -> int:
    now = now or timezone.now()
    settled_before = now - SETTLE
    stale_before = now - timedelta(seconds=settings.STALE_RECOMMENDATION_S)
    with transaction.atomic():
        RatingCollectionMark.objects.get_or_create(name=LIVE_MARK)
        mark = RatingCollectionMark.objects.select_for_update().get(name=LIVE_MARK)
        rows = Recommendation.objects.order_by("created_at", "id")
        if mark.created_at is not None:
            rows = rows.filter(Q(created_at__gt=mark.created_at)
                               | Q(created_at=mark.created_at, id__gt=mark.recommendation_id))
        rows = list(rows.values_list("id", "status", "created_at")[:batch])
        sampled = [pk for pk, status, _ in rows if status in Recommendation.TERMINAL and in_live_sample(pk)]
        created = 0
        for recommendation in Recommendation.objects.filter(pk__in=sampled, rating_item__isnull=True).order_by():
            fields = live_item(recommendation)
            created += 0 if fields is None else _create(**fields)
        passed = None
        for pk, status, created_at in rows:
            finished = status in Recommendation.TERMINAL or created_at < stale_before
            if not finished or created_at >= settled_before:
                break
            passed = (pk, created_at)
        if passed is not None:
            mark.recommendation_id, mark.created_at = passed
            mark.save(update_fields=["recommendation_id", "created_at", "updated_at"])
    return created


def _create(**fields) -> int:
    try:
        with transaction.atomic():
            RatingItem.evidence.create(**fields)
        return 1
    except IntegrityError:  # collected already
        return 0
