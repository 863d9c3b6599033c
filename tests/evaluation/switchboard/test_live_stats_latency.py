from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from energy.models import LLMCall, Recommendation
from evaluation.slots import live_stats

MODEL = "remote/chat-mini"
DURATIONS = [120.0, 80.0, 95.5, 310.0, 101.0, 87.25, 2000.0]


def call(recommendation, *, status=LLMCall.Status.SUCCEEDED, duration_ms=100.0, cost="0.0001", ago_s=60, model=MODEL):
    return LLMCall.objects.create(
        recommendation=recommendation, stage="narrative", model_key=model, provider_kind="openai_compatible",
        status=status, duration_ms=duration_ms, cost_usd=Decimal(cost),
        started_at=timezone.now() - timedelta(seconds=ago_s),
    )


@pytest.mark.django_db
def test_it_matches_numpy_on_live_calls_only():
    recommendation = Recommendation.objects.create(request_id="r1", mode="fast", inputs={})
    for duration in DURATIONS:
        call(recommendation, duration_ms=duration)
    call(recommendation, status=LLMCall.Status.FAILED, duration_ms=5.0)  # failed: no latency
    call(None, duration_ms=1.0)  # a probe, not live traffic
    call(recommendation, duration_ms=9999.0, ago_s=3 * 86400)  # before the window
    call(recommendation, duration_ms=7.0, model="other/model")

    latency = live_stats.latency(MODEL, timezone.now() - timedelta(hours=24))

    expected = np.percentile(DURATIONS, [50, 95, 99], method="linear")
    assert latency.n == len(DURATIONS)
    assert (latency.p50_ms, latency.p95_ms, latency.p99_ms) == pytest.approx(list(expected))


@pytest.mark.django_db
def test_it_reports_no_percentiles_without_calls():
    latency = live_stats.latency(MODEL, timezone.now() - timedelta(hours=24))

    assert latency == live_stats.Latency(p50_ms=None, p95_ms=None, p99_ms=None, n=0)
