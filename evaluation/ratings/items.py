"""Which outputs raters see: benchmark results and a configurable sample of live
recommendations, copied into RatingItems so the rating pages never touch model names.

Items are written when outputs are produced, never on a page view: a benchmark unit's item
when the unit ends successfully (`collect_unit`, from the benchmark execution), and live
samples by the scheduled task `evaluation.tasks.collect_rating_items` (`collect`).

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


def collect_unit(unit: BenchmarkUnit) -> int:
    """The item of a benchmark unit that ended successfully (warm-ups are never rated). Returns
    1 when it was created, 0 otherwise."""
    if unit.is_warmup or unit.status != BenchmarkUnit.Status.SUCCEEDED:
        return 0
    return _create(source=RatingItem.Source.BENCHMARK, unit=unit, scenario_key=f"scenario:{unit.scenario_id}",
                   model_key=route_label(unit_models(unit)),
                   payload=unit.output, inputs=unit.scenario.payload, automatic_quality=unit.quality_score)


def collect(*, batch: int = LIVE_BATCH, now: datetime | None = None) -> int:
    """Create the items not yet in the queue: sampled live recommendations past the mark, and any
    finished benchmark unit left without one. Returns how many were created."""
    units = (BenchmarkUnit.objects.filter(status=BenchmarkUnit.Status.SUCCEEDED, is_warmup=False, rating_item__isnull=True)
             .select_related("scenario").order_by("id")[:UNIT_BATCH])
    created = sum(collect_unit(unit) for unit in units)
    return created + collect_live(batch=batch, now=now)


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
        sampled = [pk for pk, status, _ in rows if status == Recommendation.Status.SUCCEEDED and in_live_sample(pk)]
        created = 0
        for recommendation in Recommendation.objects.filter(pk__in=sampled, rating_item__isnull=True).order_by():
            created += _create(source=RatingItem.Source.LIVE, recommendation=recommendation,
                               scenario_key=f"input:{hashlib.sha256(repr(recommendation.inputs).encode()).hexdigest()[:16]}",
                               model_key=route_label(recommendation.models_used),
                               payload=(recommendation.output or {}).get("data", {}), inputs=recommendation.inputs)
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
            RatingItem.objects.create(**fields)
        return 1
    except IntegrityError:  # collected already
        return 0
