from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from energy.models import LLMCall, Recommendation
from evaluation.slots import live_stats
from tests.evaluation.switchboard.test_live_stats_latency import MODEL, call


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
