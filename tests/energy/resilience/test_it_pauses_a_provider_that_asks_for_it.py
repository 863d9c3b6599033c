"""A 429 or 503 whose Retry-After is past LLM_RETRY_AFTER_CAP_S makes the provider unusable for
longer than any request waits: it is paused for every request (in the cache, shared), capped at
LLM_RATE_LIMIT_MAX_PAUSE_S, and they fall back without calling it. A shorter one is the retry's
own wait: other requests go on calling."""

import pytest

from energy.calls import RecordingCaller
from energy.llm import limits
from energy.llm.base import ProviderExhausted, ProviderHTTPError
from energy.llm.retry import RetryPolicy
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream


def next_request(clock) -> RecordingCaller:
    return RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [429, 503])
async def test_a_long_pause_makes_the_next_request_fall_back_without_calling(httpx_mock, caller, clock, settings, status):
    settings.LLM_RATE_LIMIT_MAX_PAUSE_S = 120
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=status, headers={"Retry-After": "86400"})
    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    with pytest.raises(ProviderExhausted) as refused:
        await next_request(clock).complete(OPENROUTER, CHAT)

    assert len(httpx_mock.get_requests()) == 1
    assert clock.sleeps == []
    assert refused.value.retry_after_s == pytest.approx(120)  # the cap, not the day asked for
    clock.advance(120)
    assert limits.blocked_for(OPENROUTER, now=clock.time()) == 0


@pytest.mark.django_db(transaction=True)
async def test_a_short_retry_after_is_the_retrys_own_wait(httpx_mock, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers={"Retry-After": "3"})
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("OK"))
    one_attempt = RecordingCaller(context="resilience", policy=RetryPolicy(max_attempts=1), sleep=clock.sleep,
                                  clock=clock.monotonic, wall_clock=clock.time)
    with pytest.raises(ProviderHTTPError):
        await one_attempt.complete(OPENROUTER, CHAT)

    completion = await next_request(clock).complete(OPENROUTER, CHAT)

    assert completion.text == "OK"
    assert clock.sleeps == []  # another request is not held up by a wait within the cap
    assert limits.blocked_for(OPENROUTER, now=clock.time()) == 0


@pytest.mark.django_db(transaction=True)
async def test_a_pause_capped_short_is_still_not_waited_for(httpx_mock, caller, clock, settings):
    settings.LLM_RATE_LIMIT_MAX_PAUSE_S = 2  # shorter than LLM_RETRY_AFTER_CAP_S
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers={"Retry-After": "86400"})
    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    with pytest.raises(ProviderExhausted):
        await next_request(clock).complete(OPENROUTER, CHAT)

    assert clock.sleeps == []  # the provider said a day: nobody waits, whatever the pause is capped at
    assert len(httpx_mock.get_requests()) == 1
