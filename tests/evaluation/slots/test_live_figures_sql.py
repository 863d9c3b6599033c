"""Issue 12, bounded switchboard: the live figures come from SQL aggregates and the 5-minute
roll-up, and equal what a plain pass over every row gives; a render's queries do not grow with
the traffic."""

import random
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from energy.models import LLMCall, Recommendation
from evaluation import tasks
from evaluation.models import LiveFigureBucket, Slot
from evaluation.slots import board, live_stats

STAGES = ("usage_summary", "plan_scoring", "narrative")
MODEL, OTHER = "builtin/rules", "remote/chat-mini"
STATUSES = [LLMCall.Status.SUCCEEDED] * 6 + [LLMCall.Status.REJECTED, LLMCall.Status.FAILED, LLMCall.Status.TIMEOUT,
                                             LLMCall.Status.INCOMPLETE, LLMCall.Status.STARTED]


def traffic(n: int, *, now, seed: int = 1) -> None:
    """n recommendations over the last 30 hours, their calls started together (one bucket each)."""
    rng = random.Random(seed)
    for i in range(n):
        at = now - timedelta(minutes=rng.uniform(0.5, 30 * 60))
        used = {stage: rng.choice((MODEL, MODEL, OTHER)) for stage in STAGES}
        errors = [{"stage": stage, "model": key, "kind": "invalid_json", "message": "not JSON"}
                  for stage, key in used.items() if rng.random() < 0.15]
        if rng.random() < 0.1:  # the model refused, the rules engine served the stage
            errors.append({"stage": "narrative", "model": OTHER, "kind": "bad_format", "message": "no why"})
        recommendation = Recommendation.objects.create(request_id=f"r{seed}-{i}", mode="fast", inputs={}, models_used=used,
                                                       errors=errors, status=Recommendation.Status.SUCCEEDED)
        Recommendation.objects.filter(pk=recommendation.pk).update(created_at=at)
        LLMCall.objects.bulk_create([
            LLMCall(recommendation=recommendation, stage=stage, model_key=key, provider_kind="test",
                    status=rng.choice(STATUSES), started_at=at, duration_ms=rng.uniform(50, 900),
                    cost_usd=Decimal(f"0.000{rng.randint(1, 9)}"))
            for stage, key in used.items()
        ])
    LLMCall.objects.create(recommendation=None, stage="narrative", model_key=MODEL, provider_kind="test",  # a probe
                           status=LLMCall.Status.SUCCEEDED, started_at=now - timedelta(minutes=1), duration_ms=1.0)


def plain(model_key: str, since) -> dict:
    """The figures by a plain pass over every row."""
    calls = [c for c in LLMCall.objects.all() if c.model_key == model_key and c.started_at >= since and c.recommendation_id]
    finished = [c for c in calls if c.status in live_stats.FINISHED_STATUSES]
    answered = sorted((c for c in calls if c.status in live_stats.ANSWERED_STATUSES), key=lambda c: c.started_at)
    passed = failed = 0
    for recommendation in Recommendation.objects.filter(created_at__gte=since):
        refused = {e["stage"] for e in recommendation.errors if e["model"] == model_key}
        passed += sum(key == model_key and stage not in refused for stage, key in recommendation.models_used.items())
        failed += len(refused)
    spent = {c.recommendation_id for c in calls}
    return {
        "errors": (sum(c.status in live_stats.FAILED_STATUSES for c in finished), len(finished)),
        "cost": (sum((c.cost_usd for c in calls), Decimal(0)) / len(spent) if spent else None, len(spent)),
        "latency": (*np.percentile([c.duration_ms for c in answered], [50, 95, 99], method="linear"), len(answered))
        if answered else None,
        "quality": (passed, passed + failed),
    }


def figures(model_key: str, since) -> dict:
    live = live_stats.live_figures(model_key, since)
    quality = live_stats.automatic_quality(model_key, since)
    return {
        "errors": (live.errors.hits, live.errors.n),
        "cost": (live.cost.per_recommendation_usd, live.cost.n),
        "latency": live.latency and (live.latency.p50, live.latency.p95, live.latency.p99, live.latency.n),
        "quality": (quality.hits, quality.n),
    }


def assert_equal(got: dict, expected: dict) -> None:
    assert got["errors"] == expected["errors"]
    assert got["quality"] == expected["quality"]
    assert got["cost"][1] == expected["cost"][1]
    assert got["cost"][0] == pytest.approx(expected["cost"][0])
    assert got["latency"] == (None if expected["latency"] is None else pytest.approx(expected["latency"], abs=1e-3))


@pytest.mark.django_db
@pytest.mark.parametrize("model_key", [MODEL, OTHER])
def test_it_equals_a_plain_pass_over_the_rows_before_and_after_the_roll_up(model_key):
    now = timezone.now()
    traffic(60, now=now)
    since = now - timedelta(hours=24)
    expected = plain(model_key, since)

    assert_equal(figures(model_key, since), expected)  # nothing rolled up: all from the raw rows
    assert tasks.roll_up_live_figures() > 0
    assert_equal(figures(model_key, since), expected)  # closed buckets from the roll-up, the rest raw


@pytest.mark.django_db
def test_it_reads_the_raw_rows_of_a_bucket_not_rolled_up():
    now = timezone.now()
    traffic(60, now=now)
    since = now - timedelta(hours=24)
    live_stats.roll_up(now=now)
    some_bucket = LiveFigureBucket.objects.filter(model_key=MODEL, finished__gt=0).order_by("start").last().start
    LiveFigureBucket.objects.filter(start=some_bucket).delete()

    assert_equal(figures(MODEL, since), plain(MODEL, since))


@pytest.mark.django_db
def test_it_rolls_up_each_closed_bucket_once_a_bounded_number_per_run(monkeypatch):
    monkeypatch.setattr(live_stats, "ROLL_UP_HORIZON", timedelta(hours=31))
    now = timezone.now()
    traffic(20, now=now)

    runs = [live_stats.roll_up(now=now) for _ in range(3)]

    assert runs[0] == live_stats.ROLL_UP_BUCKETS_PER_RUN
    assert runs[2] == 0
    assert LiveFigureBucket.objects.values("start").distinct().count() == sum(runs)
    assert not LiveFigureBucket.objects.filter(start__gte=live_stats.bucket_start(now - live_stats.close_after())).exists()


@pytest.mark.django_db
def test_it_reports_nothing_for_a_model_without_traffic():
    live = live_stats.live_figures("nobody/idle", timezone.now() - timedelta(hours=24))

    assert live.latency is None
    assert (live.errors.n, live.errors.rate, live.cost.n, live.cost.per_recommendation_usd) == (0, None, 0, None)


def queries_for(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_its_query_count_does_not_grow_with_the_traffic(rules_only_catalog, django_assert_max_num_queries):
    now = timezone.now()
    since = now - timedelta(hours=24)
    traffic(20, now=now, seed=1)
    live_stats.roll_up(now=now)
    small = queries_for(lambda: live_stats.live_figures(MODEL, since))
    traffic(80, now=now, seed=2)
    LiveFigureBucket.objects.all().delete()
    live_stats.roll_up(now=now)

    assert queries_for(lambda: live_stats.live_figures(MODEL, since)) == small
    with django_assert_max_num_queries(10):
        live_stats.live_figures(MODEL, since)


@pytest.mark.django_db
def test_the_switchboard_panels_read_each_models_figures_once(rules_only_catalog, django_assert_max_num_queries):
    now = timezone.now()
    traffic(40, now=now)
    live_stats.roll_up(now=now)
    Slot.objects.filter(name="fast").update(canary_started_at=now - timedelta(hours=2), challenger_share=10,
                                            challenger=rules_only_catalog["accurate"].model)

    with django_assert_max_num_queries(25):
        panels = board.slot_panels(now=now)

    fast = next(panel for panel in panels if panel.slot.name == "fast")
    expected = plain(MODEL, now - board.LIVE_WINDOW)
    assert (fast.card.figures.errors.hits, fast.card.figures.errors.n) == expected["errors"]
    arm = plain(MODEL, now - timedelta(hours=2))
    assert (fast.canary.challenger.quality.hits, fast.canary.challenger.quality.n) == arm["quality"]
