"""What a model does on live traffic: latency percentiles, error rate, cost per recommendation
and automatic quality, each with the n it rests on.

Live traffic is the calls made for recommendations; probes and benchmarks are left out, so a
4-token health probe never flatters a model's latency. Percentiles and shares are those of
evaluation.figures (numpy's linear method, as the benchmarks).

A render costs a few queries whatever the traffic:

- counts and sums (error rate, cost, automatic quality) add up over time, so they come from the
  roll-up (LiveFigureBucket, 5-minute buckets written by `roll_up`, scheduled every minute) for
  the closed buckets of the window, summed in SQL, and from SQL aggregates over the raw rows for
  the rest (the window's first partial bucket, the buckets not closed yet, any bucket not rolled
  up);
- percentiles do not add up: they rest on the newest LATENCY_SAMPLE answered calls of the
  window (only that column is read; n says how many).

A bucket is closed once STALE_RECOMMENDATION_S has passed since its end: every call started in
it, and every recommendation created in it, has ended by then. A recommendation whose calls
straddle two buckets counts in both for the n of the cost figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from energy.llm.base import STAGES
from energy.models import LLMCall, Recommendation
from evaluation.figures import Percentiles, Share, percentiles
from evaluation.models import LiveFigureBucket

FAILED_STATUSES = (LLMCall.Status.FAILED, LLMCall.Status.TIMEOUT, LLMCall.Status.INCOMPLETE)
# A rejected answer came back whole: its time is the model's latency, and automatic quality
# (not the error rate) counts the rejection.
ANSWERED_STATUSES = (LLMCall.Status.SUCCEEDED, LLMCall.Status.REJECTED)
FINISHED_STATUSES = (*ANSWERED_STATUSES, *FAILED_STATUSES)
LATENCY_SAMPLE = 2_000  # the newest answered calls a latency percentile rests on, at most
BUCKET = timedelta(minutes=5)
ROLL_UP_HORIZON = timedelta(days=8)  # how far back the roll-up fills missing buckets
ROLL_UP_BUCKETS_PER_RUN = 300  # 25 hours: a day's backlog in one run
ROLLED_UP_MARK = ""  # the model_key of the row that marks a bucket rolled up


def close_after() -> timedelta:
    return timedelta(seconds=settings.STALE_RECOMMENDATION_S)


@dataclass(frozen=True)
class Cost:
    """Average USD a recommendation spent on the model, over the recommendations that called it."""

    per_recommendation_usd: Decimal | None
    n: int


@dataclass(frozen=True)
class LiveFigures:
    model_key: str
    since: datetime
    latency: Percentiles | None  # None when the model answered no live call
    errors: Share
    cost: Cost


@dataclass(frozen=True)
class LiveTally:
    """The additive part of a model's live figures over a span of time."""

    finished: int = 0
    failed: int = 0
    cost_usd: Decimal = Decimal(0)
    recommendations: int = 0
    stages_passed: int = 0
    stages_failed: int = 0

    def __add__(self, other: "LiveTally") -> "LiveTally":
        return LiveTally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


TALLY_FIELDS = tuple(f.name for f in fields(LiveTally))


def live_calls(model_key: str, since: datetime, until: datetime | None = None):
    calls = LLMCall.objects.filter(model_key=model_key, started_at__gte=since, recommendation__isnull=False)
    return calls if until is None else calls.filter(started_at__lt=until)


def failed_stages(errors: Iterable, model_key: str) -> set:
    return {error.get("stage") for error in errors or [] if isinstance(error, dict) and error.get("model") == model_key}


def quality_counts(models_used: dict | None, errors: list | None, model_key: str) -> tuple[int, int]:
    """(stages passed, stages failed) of one recommendation for the model."""
    failed = failed_stages(errors, model_key)
    passed = sum(key == model_key and stage not in failed for stage, key in (models_used or {}).items())
    return passed, len(failed)


def tally_raw(model_key: str, since: datetime, until: datetime | None = None) -> LiveTally:
    """The tally straight from the rows, in SQL (3 queries)."""
    calls = live_calls(model_key, since, until).aggregate(
        finished=Count("id", filter=Q(status__in=FINISHED_STATUSES)),
        failed=Count("id", filter=Q(status__in=FAILED_STATUSES)),
        cost_usd=Sum("cost_usd"), recommendations=Count("recommendation_id", distinct=True))
    window = Recommendation.objects.filter(created_at__gte=since).order_by()
    if until is not None:
        window = window.filter(created_at__lt=until)
    used = window.aggregate(**{stage: Count("id", filter=Q(**{f"models_used__{stage}": model_key})) for stage in STAGES})
    passed, failed = sum(used.values()), 0
    # Only the recommendations whose errors mention the model (few, unless it fails a lot) are read.
    for models_used, errors in window.filter(errors__icontains=model_key).values_list("models_used", "errors").iterator():
        stages = failed_stages(errors, model_key)
        passed -= sum((models_used or {}).get(stage) == model_key for stage in stages if stage in STAGES)
        failed += len(stages)
    return LiveTally(finished=calls["finished"], failed=calls["failed"], cost_usd=calls["cost_usd"] or Decimal(0),
                     recommendations=calls["recommendations"], stages_passed=passed, stages_failed=failed)


def bucket_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % (BUCKET.seconds // 60), second=0, microsecond=0)


def tally(model_key: str, since: datetime, *, now: datetime | None = None) -> LiveTally:
    """The model's tally from `since` on: the rolled-up buckets, plus the raw rows of the rest."""
    now = now or timezone.now()
    first = bucket_start(since) + (BUCKET if bucket_start(since) < since else timedelta(0))
    closed_end = bucket_start(now - close_after())
    if first >= closed_end:
        return tally_raw(model_key, since)
    buckets = LiveFigureBucket.objects.filter(start__gte=first, start__lt=closed_end)
    rolled = set(buckets.order_by().values_list("start", flat=True).distinct())
    sums = buckets.filter(model_key=model_key).aggregate(**{name: Sum(name) for name in TALLY_FIELDS})
    total = LiveTally(**{name: value or 0 for name, value in sums.items()})
    # The raw spans: the partial first bucket, each run of buckets not rolled up, and the open end.
    start, bucket = since, first
    while bucket < closed_end:
        if bucket in rolled:
            if start < bucket:
                total += tally_raw(model_key, start, bucket)
            start = bucket + BUCKET
        bucket += BUCKET
    return total + tally_raw(model_key, start)


def latency(model_key: str, since: datetime) -> Percentiles | None:
    """Percentiles of the newest LATENCY_SAMPLE answered calls' duration_ms; None when there is no call."""
    durations = (live_calls(model_key, since).filter(status__in=ANSWERED_STATUSES, duration_ms__isnull=False)
                 .order_by("-started_at").values_list("duration_ms", flat=True)[:LATENCY_SAMPLE])
    return percentiles(list(durations))


def errors_of(counted: LiveTally) -> Share:
    return Share(hits=counted.failed, n=counted.finished)


def cost_of(counted: LiveTally) -> Cost:
    if not counted.recommendations:
        return Cost(per_recommendation_usd=None, n=0)
    return Cost(per_recommendation_usd=counted.cost_usd / counted.recommendations, n=counted.recommendations)


def quality_of(counted: LiveTally) -> Share:
    return Share(hits=counted.stages_passed, n=counted.stages_passed + counted.stages_failed)


def error_rate(model_key: str, since: datetime) -> Share:
    """Failed, timed-out and incomplete calls over all finished ones (calls still running don't count)."""
    return errors_of(tally(model_key, since))


def cost_per_recommendation(model_key: str, since: datetime) -> Cost:
    return cost_of(tally(model_key, since))


def automatic_quality(model_key: str, since: datetime) -> Share:
    """Stages whose answer from the model passed validation, over the stages it answered.

    A stage passed for the model when the recommendation used the model's answer for it
    (`models_used`) and no error of the stage names the model; it failed when one does: the
    answer was refused, or used with parts replaced (a why, with its `plan_id`)."""
    return quality_of(tally(model_key, since))


def cache_hits(since: datetime) -> Share:
    """Recommendations since `since` answered from the response cache (or an identical request
    in flight) out of all that were answered: one indexed count, whatever the models."""
    answered = Recommendation.objects.filter(created_at__gte=since, status=Recommendation.Status.SUCCEEDED)
    # Counting the (never null) cache_hit column keeps the count inside the covering index.
    counts = answered.aggregate(n=Count("cache_hit"), hits=Count("cache_hit", filter=Q(cache_hit=True)))
    return Share(hits=counts["hits"], n=counts["n"])


def live_figures(model_key: str, since: datetime) -> LiveFigures:
    counted = tally(model_key, since)
    return LiveFigures(model_key=model_key, since=since, latency=latency(model_key, since),
                       errors=errors_of(counted), cost=cost_of(counted))


def roll_up_bucket(start: datetime) -> int:
    """Write every model's tally of one closed bucket, and a row with the empty key that marks
    it rolled up: a rolled-up bucket without a row for a model means the model did nothing in it.
    Returns the rows written."""
    end = start + BUCKET
    totals: dict[str, dict] = {ROLLED_UP_MARK: {}}
    calls = (LLMCall.objects.filter(started_at__gte=start, started_at__lt=end, recommendation__isnull=False)
             .order_by().values("model_key").annotate(
                 finished=Count("id", filter=Q(status__in=FINISHED_STATUSES)),
                 failed=Count("id", filter=Q(status__in=FAILED_STATUSES)),
                 cost_usd=Sum("cost_usd"), recommendations=Count("recommendation_id", distinct=True)))
    for row in calls:
        totals.setdefault(row.pop("model_key"), {}).update({**row, "cost_usd": row["cost_usd"] or Decimal(0)})
    recommendations = Recommendation.objects.filter(created_at__gte=start, created_at__lt=end).order_by()
    for models_used, errors in recommendations.values_list("models_used", "errors").iterator():
        keys = set((models_used or {}).values()) | {e.get("model") for e in errors or [] if isinstance(e, dict)}
        for key in keys - {None}:
            passed, failed = quality_counts(models_used, errors, key)
            row = totals.setdefault(key, {})
            row["stages_passed"] = row.get("stages_passed", 0) + passed
            row["stages_failed"] = row.get("stages_failed", 0) + failed
    with transaction.atomic():
        LiveFigureBucket.objects.filter(start=start).delete()
        LiveFigureBucket.objects.bulk_create([LiveFigureBucket(model_key=key, start=start, **row) for key, row in totals.items()])
    return len(totals)


def roll_up(*, now: datetime | None = None) -> int:
    """Roll up the closed buckets of the last ROLL_UP_HORIZON not rolled up yet, newest first,
    at most ROLL_UP_BUCKETS_PER_RUN per run. Returns the buckets rolled up."""
    now = now or timezone.now()
    closed_end = bucket_start(now - close_after())
    horizon = bucket_start(now - ROLL_UP_HORIZON)
    done = set(LiveFigureBucket.objects.filter(start__gte=horizon).order_by().values_list("start", flat=True).distinct())
    missing = []
    bucket = closed_end - BUCKET
    while bucket >= horizon and len(missing) < ROLL_UP_BUCKETS_PER_RUN:
        if bucket not in done:
            missing.append(bucket)
        bucket -= BUCKET
    for bucket in missing:
        roll_up_bucket(bucket)
    return len(missing)
