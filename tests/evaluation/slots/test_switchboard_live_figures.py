"""The live figures on the switchboard (evaluation.slots.live_stats: latency percentiles, error
rate, cost per recommendation, automatic quality over the live traffic), and the measured figures
in the model catalog."""

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from energy.models import LLMCall, Recommendation
from evaluation.models import AIModel
from evaluation.slots import live_stats

MODEL = "remote/chat-mini"
CHALLENGER = MODEL
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
    assert (latency.p50, latency.p95, latency.p99) == pytest.approx(list(expected))


@pytest.mark.django_db
def test_it_reports_no_percentiles_without_calls():
    latency = live_stats.latency(MODEL, timezone.now() - timedelta(hours=24))

    assert latency is None


@pytest.mark.django_db
def test_it_counts_failed_calls_over_finished_ones_and_costs_per_recommendation():
    first = Recommendation.objects.create(request_id="r1", mode="fast", inputs={})
    second = Recommendation.objects.create(request_id="r2", mode="fast", inputs={})
    call(first, cost="0.0010")
    call(first, cost="0.0020")
    call(second, cost="0.0030", status=LLMCall.Status.TIMEOUT)
    call(second, cost="0.0000", status=LLMCall.Status.INCOMPLETE)
    call(second, cost="0.0000", status=LLMCall.Status.STARTED)  # still running: not finished
    since = timezone.now() - timedelta(hours=24)

    errors = live_stats.error_rate(MODEL, since)
    cost = live_stats.cost_per_recommendation(MODEL, since)

    assert (errors.hits, errors.n, errors.rate) == (2, 4, 0.5)
    assert cost.n == 2
    assert cost.per_recommendation_usd == Decimal("0.003")  # (0.003 + 0.003) / 2


@pytest.mark.django_db
def test_it_counts_the_stages_whose_answer_passed_validation():
    Recommendation.objects.create(
        request_id="r1", mode="fast", inputs={},
        models_used={"usage_summary": CHALLENGER, "plan_scoring": CHALLENGER, "narrative": "builtin/rules"},
        errors=[{"stage": "narrative", "model": CHALLENGER, "kind": "invalid_json", "message": "not JSON"}],
    )
    Recommendation.objects.create(
        request_id="r2", mode="fast", inputs={},
        models_used={"usage_summary": CHALLENGER, "plan_scoring": "builtin/rules", "narrative": CHALLENGER},
        errors=[{"stage": "plan_scoring", "model": CHALLENGER, "kind": "timeout", "message": "read timeout"}],
    )
    old = Recommendation.objects.create(request_id="r0", mode="fast", inputs={}, models_used={"narrative": CHALLENGER})
    Recommendation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    quality = live_stats.automatic_quality(CHALLENGER, timezone.now() - timedelta(hours=1))
    rules = live_stats.automatic_quality("builtin/rules", timezone.now() - timedelta(hours=1))

    assert (quality.hits, quality.n) == (4, 6)
    assert (rules.hits, rules.n) == (2, 2)


@pytest.mark.django_db
def test_it_counts_a_narrative_with_a_replaced_why_as_failed_once():
    # The model served the narrative, but two of its whys were refused and replaced by the rules engine's.
    Recommendation.objects.create(
        request_id="r1", mode="fast", inputs={}, models_used=dict.fromkeys(("usage_summary", "plan_scoring", "narrative"),
                                                                         CHALLENGER),
        errors=[{"stage": "narrative", "model": CHALLENGER, "kind": "wrong_fact", "message": "…", "plan_id": plan_id}
                for plan_id in (3, 14)],
    )

    quality = live_stats.automatic_quality(CHALLENGER, timezone.now() - timedelta(hours=1))

    assert (quality.hits, quality.n) == (2, 3)


@pytest.mark.django_db
def test_it_shows_the_measured_figures_in_the_list_and_the_page(admin_client, rules_model):
    AIModel.objects.filter(pk=rules_model.pk).update(
        measured_ttft_ms=812.4, measured_tokens_per_s=29.96, measured_p95_ms=1234.5,
        measured_cost_per_recommendation=Decimal("0.00012345"), quality_score=0.875,
        quality_evidence={"source": "automatic", "human_n": 0, "automatic_n": 9},
    )

    for url in ("/admin/evaluation/aimodel/", f"/admin/evaluation/aimodel/{rules_model.pk}/change/"):
        html = admin_client.get(url).content.decode()
        for figure in ("812", "30.0", "1234", "$0.000123", "0.875", "automatic n=9"):
            assert figure in html, (url, figure)
