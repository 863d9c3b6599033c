"""Workers AI's 3036 "daily allocation exceeded" is not retried: the provider is marked exhausted
until its quota resets, and calls to any of its models fail at once until then."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from energy.llm import limits
from energy.llm.base import ProviderExhausted, ProviderHTTPError
from energy.llm.retry import seconds_until_quota_reset
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, WORKERS_AI, WORKERS_AI_URL
from tests.energy.resilience.records import calls_of

DAILY_LIMIT = {"success": False, "errors": [{"code": 3036, "message": "You have used up your daily free allocation"}]}
OTHER_MODEL = replace(WORKERS_AI, key="workers-ai/llama-3.3-70b", provider_model="@cf/meta/llama-3.3-70b-instruct-fp8-fast")


@pytest.mark.django_db(transaction=True)
async def test_it_fails_fast_until_the_reset(httpx_mock, caller, clock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, json=DAILY_LIMIT)

    with pytest.raises(ProviderExhausted) as first:
        await caller.complete(WORKERS_AI, CHAT)
    with pytest.raises(ProviderExhausted) as second:
        await caller.complete(OTHER_MODEL, CHAT)

    assert len(httpx_mock.get_requests()) == 1
    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "provider_exhausted")]
    assert "daily free allocation" in str(first.value)
    # Until the next UTC midnight, which is never more than a day away (no time passes on the clock).
    assert 0 < first.value.retry_after_s <= 86_400
    assert second.value.retry_after_s == pytest.approx(first.value.retry_after_s)
    assert limits.blocked_for(OTHER_MODEL, now=datetime.now(UTC).timestamp() + 86_401) == 0


@pytest.mark.django_db(transaction=True)
async def test_it_takes_the_reset_from_retry_after(httpx_mock, caller, clock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, headers={"Retry-After": "3600"},
                            json=DAILY_LIMIT)

    with pytest.raises(ProviderExhausted) as raised:
        await caller.complete(WORKERS_AI, CHAT)

    assert raised.value.retry_after_s == 3600
    assert limits.blocked_for(OTHER_MODEL, now=clock.time()) == 3600


def test_it_resets_at_utc_midnight():
    error = ProviderHTTPError(429, "daily allocation", code=3036)

    assert seconds_until_quota_reset(error, datetime(2025, 3, 9, 23, 59, 30, tzinfo=UTC)) == 30
