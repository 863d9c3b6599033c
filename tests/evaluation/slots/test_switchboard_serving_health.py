"""What the switchboard says about serving itself: each remote model's live circuit breaker (closed,
open, half-open; shared state, so every process shows the same; never a benchmark's), and the
share of the last 24 hours' answers that came from the response cache, with n."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from energy.llm.breaker import BreakerConfig, CircuitBreaker, Permit
from energy.llm.scopes import BENCHMARK
from energy.models import Recommendation
from tests.evaluation.slots.switchboard import BOARD_URL


@pytest.fixture
def fresh_breakers():
    cache.clear()
    yield
    cache.clear()


def slot_card(response, name: str):
    return next(panel.card for panel, _ in response.context["slots"] if panel.slot.name == name)


@pytest.mark.django_db
def test_it_shows_a_remote_models_breaker_and_none_for_the_rules_engine(operator_client, remote_catalog, fresh_breakers):
    closed = operator_client.get(BOARD_URL)
    CircuitBreaker(BreakerConfig(window=1, min_calls=1, open_s=60)).record(Permit("remote/chat-mini"), failed=True)
    opened = operator_client.get(BOARD_URL)
    cache.clear()
    CircuitBreaker(BreakerConfig(window=1, min_calls=1, open_s=60), clock=lambda: 0.0).record(
        Permit("remote/chat-mini"), failed=True)  # open until t=60 s, long past: the next call is a probe
    half_open = operator_client.get(BOARD_URL)

    assert [slot_card(page, "fast").breaker for page in (closed, opened, half_open)] == ["closed", "open", "half_open"]
    assert slot_card(opened, "accurate").breaker is None
    assert "breaker: <span class=\"failed\">open</span>" in opened.content.decode()
    assert "breaker: <span class=\"failed\">half-open</span>" in half_open.content.decode()


@pytest.mark.django_db
def test_it_shows_the_live_breaker_which_a_benchmarks_failures_leave_closed(operator_client, remote_catalog,
                                                                            fresh_breakers):
    CircuitBreaker(BreakerConfig(window=1, min_calls=1, open_s=60), scope=BENCHMARK).record(
        Permit("remote/chat-mini"), failed=True)

    assert slot_card(operator_client.get(BOARD_URL), "fast").breaker == "closed"


@pytest.mark.django_db
def test_it_shows_the_share_of_answers_from_the_response_cache(operator_client, rules_only_catalog):
    def answered(request_id: str, *, hit: bool, ago: timedelta = timedelta(minutes=5), **fields) -> None:
        row = Recommendation.objects.create(request_id=request_id, mode="fast", inputs={}, cache_hit=hit,
                                            status=fields.get("status", Recommendation.Status.SUCCEEDED))
        Recommendation.objects.filter(pk=row.pk).update(created_at=timezone.now() - ago)

    answered("computed-1", hit=False)
    answered("hit-1", hit=True)
    answered("hit-2", hit=True)
    answered("too-old", hit=True, ago=timedelta(hours=25))
    answered("failed", hit=False, status=Recommendation.Status.FAILED)

    response = operator_client.get(BOARD_URL)

    share = response.context["cache_hits"]
    assert (share.hits, share.n) == (2, 3)
    assert "66.7 % of answers were hits" in response.content.decode()
    assert "(2 of n=3)" in response.content.decode()
