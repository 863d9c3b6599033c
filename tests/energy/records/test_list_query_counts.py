"""The energy app's lists answer in a number of queries that does not grow with their rows: the
admin changelists of plans, recommendations, model calls and API keys, and GET /api/v1/plans.
Each test reads a list, adds rows (with the related objects the list shows beside them), reads
it again, and asserts the same count, under a ceiling that makes a regression visible; and that
the added rows did reach the list, so a list that shows nothing cannot pass."""

from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from energy.models import ApiKey, LLMCall, Plan, Recommendation
from tests.query_counts import KEY_LIMITS, assert_flat, measure, queries

pytestmark = pytest.mark.django_db

serial = count()  # unique names across a test's rows


def grow_plans(n: int) -> None:
    for _ in range(n):
        Plan.objects.create(provider=f"Retailer {next(serial)}", name="Flat 12", energy_rate_cents=Decimal("11.5"),
                            contract_months=12)


def grow_recommendations(n: int) -> None:
    """Recommendations, each made with an API key of its own (a column of the list), and their model calls."""
    for _ in range(n):
        key, _ = ApiKey.generate(f"key {next(serial)}")
        recommendation = Recommendation.objects.create(
            request_id=f"r{next(serial)}", api_key=key, mode="fast", status=Recommendation.Status.SUCCEEDED, inputs={},
            execution_ms=12.5)
        LLMCall.objects.create(recommendation=recommendation, stage="narrative", model_key=f"test/m-{next(serial)}",
                               provider_kind="rules", status=LLMCall.Status.SUCCEEDED, started_at=timezone.now(),
                               duration_ms=3.0, cost_usd=Decimal("0.0001"))


def grow_api_keys(n: int) -> None:
    """API keys, each acting for a user of its own (a column of the list)."""
    for _ in range(n):
        ApiKey.generate(f"key {next(serial)}", user=get_user_model().objects.create_user(f"user {next(serial)}"))


CHANGELISTS = {
    # model: (grow n rows with their related objects, ceiling)
    "plan": (grow_plans, 10),
    "recommendation": (grow_recommendations, 11),
    "llmcall": (grow_recommendations, 13),
    "apikey": (grow_api_keys, 8),
}


@pytest.mark.parametrize("model", CHANGELISTS)
def test_an_admin_changelist_reads_the_same_queries_for_more_rows(admin_client, model):
    grow, ceiling = CHANGELISTS[model]
    grow(3)

    before, after = measure(lambda: queries(admin_client, f"/admin/energy/{model}/"), lambda: grow(3),
                            lambda response: response.context["cl"].result_count)

    assert_flat(before, after, ceiling)


def test_the_plans_list_reads_the_same_queries_for_more_plans(client, auth_headers, plans):
    before, after = measure(lambda: queries(client, "/api/v1/plans", **auth_headers), lambda: grow_plans(3),
                            lambda response: len(response.json()))

    assert_flat(before, after, 3 + KEY_LIMITS)
