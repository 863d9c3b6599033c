"""What a model does on live traffic: latency percentiles, error rate, cost per recommendation
and automatic quality, each with the n it rests on.

Live traffic is the calls made for recommendations; probes and benchmarks are left out, so a
4-token health probe never flatters a model's latency. Percentiles use numpy's linear method,
as the benchmarks do.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np
from django.db.models import Sum

from energy.models import LLMCall, Recommendation

FAILED_STATUSES = (LLMCall.Status.FAILED, LLMCall.Status.TIMEOUT, LLMCall.Status.INCOMPLETE)
# A rejected answer came back whole: its time is the model's latency, and automatic quality
# (not the error rate) counts the rejection.
ANSWERED_STATUSES = (LLMCall.Status.SUCCEEDED, LLMCall.Status.REJECTED)
FINISHED_STATUSES = (*ANSWERED_STATUSES, *FAILED_STATUSES)


@dataclass(frozen=True)
class Latency:
    """Percentiles of answered calls' duration_ms; None when there is no call."""

    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    n: int


@dataclass(frozen=True)
class Share:
    """`hits` out of `n`, e.g. failed calls out of finished calls."""

    hits: int
    n: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100


@dataclass(frozen=True)
class Cost:
    """Average USD a recommendation spent on the model, over the recommendations that called it."""

    per_recommendation_usd: Decimal | None
    n: int


@dataclass(frozen=True)
class LiveFigures:
    model_key: str
    since: datetime
    latency: Latency
    errors: Share
    cost: Cost


def live_calls(model_key: str, since: datetime):
    return LLMCall.objects.filter(model_key=model_key, started_at__gte=since, recommendation__isnull=False)


def latency(model_key: str, since: datetime) -> Latency:
    durations = list(
        live_calls(model_key, since).filter(status__in=ANSWERED_STATUSES, duration_ms__isnull=False)
        .values_list("duration_ms", flat=True)
    )
    if not durations:
        return Latency(p50_ms=None, p95_ms=None, p99_ms=None, n=0)
    p50, p95, p99 = np.percentile(durations, [50, 95, 99], method="linear")
    return Latency(p50_ms=float(p50), p95_ms=float(p95), p99_ms=float(p99), n=len(durations))


def error_rate(model_key: str, since: datetime) -> Share:
    """Failed, timed-out and incomplete calls over all finished ones (calls still running don't count)."""
    statuses = list(live_calls(model_key, since).filter(status__in=FINISHED_STATUSES).values_list("status", flat=True))
    return Share(hits=sum(status in FAILED_STATUSES for status in statuses), n=len(statuses))


def cost_per_recommendation(model_key: str, since: datetime) -> Cost:
    per_recommendation = [
        row["cost"] for row in
        live_calls(model_key, since).values("recommendation_id").annotate(cost=Sum("cost_usd")).order_by()
    ]
    if not per_recommendation:
        return Cost(per_recommendation_usd=None, n=0)
    total = sum((cost or Decimal(0) for cost in per_recommendation), Decimal(0))
    return Cost(per_recommendation_usd=total / len(per_recommendation), n=len(per_recommendation))


def automatic_quality(model_key: str, since: datetime) -> Share:
    """Stages whose answer from the model passed validation, over the stages it answered.

    A stage passed for the model when the recommendation used the model's answer for it
    (`models_used`) and no error of the stage names the model; it failed when one does: the
    answer was refused, or used with parts replaced (a why, with its `plan_id`)."""
    passed = failed = 0
    rows = Recommendation.objects.filter(created_at__gte=since).values_list("models_used", "errors")
    for models_used, errors in rows.iterator():
        failed_stages = {error.get("stage") for error in errors or []
                         if isinstance(error, dict) and error.get("model") == model_key}
        passed += sum(key == model_key and stage not in failed_stages for stage, key in (models_used or {}).items())
        failed += len(failed_stages)
    return Share(hits=passed, n=passed + failed)


def live_figures(model_key: str, since: datetime) -> LiveFigures:
    return LiveFigures(
        model_key=model_key, since=since, latency=latency(model_key, since),
        errors=error_rate(model_key, since), cost=cost_per_recommendation(model_key, since),
    )
