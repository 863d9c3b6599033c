"""Rate limits: the headers read, a reset waited for, a provider paused or marked exhausted, and waits kept
within their cap."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.calls import RecordingCaller
from energy.llm import cloudflare, limits, openai_compatible
from energy.llm.base import ProviderExhausted, ProviderHTTPError
from energy.llm.limits import parse_rate_limit
from energy.llm.retry import RetryPolicy, seconds_until_quota_reset
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, WORKERS_AI_URL, chat_stream, sse
from tests.energy.resilience.faults import RETRYABLE_STATUSES, Fault
from tests.energy.resilience.records import calls_of
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import jitters, policies, provider_errors, scripts

# The adapters report what X-RateLimit-Remaining / X-RateLimit-Reset said, on successes and failures alike, as
# (requests remaining, seconds until the reset).
NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "30"}, (5, 30.0)),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 60)}, (0, 60.0)),  # a Unix time
        ({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "6m0s"}, (0, 360.0)),  # OpenAI
        ({"x-ratelimit-remaining-requests": "7", "x-ratelimit-reset-requests": "20ms"}, (7, 0.02)),
        ({"X-RateLimit-Remaining": "3"}, (3, None)),
        ({"X-RateLimit-Remaining": "-1", "X-RateLimit-Reset": "soon"}, (None, None)),
        ({"X-RateLimit-Remaining": "nan", "X-RateLimit-Reset": "inf"}, (None, None)),
        ({"Content-Type": "text/event-stream"}, None),
    ],
)
def test_it_parses(headers, expected):
    assert parse_rate_limit(headers, now=NOW) == expected


async def test_it_carries_the_rate_limit_headers_on_a_completion(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan A"),
                            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2"})

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert completion.rate_limit == (0, 2.0)


async def test_it_carries_the_rate_limit_headers_on_an_http_error(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429,
                            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "45"},
                            json={"success": False, "errors": [{"code": 3040, "message": "Capacity"}]})

    with pytest.raises(ProviderHTTPError) as raised:
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert raised.value.rate_limit == (0, 45.0)


async def test_it_reports_none_for_absent_rate_limit_headers(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "Plan A"}, "[DONE]"))

    assert (await cloudflare.complete(WORKERS_AI, CHAT)).rate_limit is None


# A provider that says no requests remain gets none until its window resets: a call waits for a short reset, and fails
# fast (the stage falls back) when the reset is further off than LLM_RETRY_AFTER_CAP_S.
def last_request(reset: str):
    return {"url": CHAT_URL, "method": "POST", "content": chat_stream("Plan A"),
            "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}}


@pytest.mark.django_db(transaction=True)
async def test_it_waits_for_a_short_reset(httpx_mock, caller, clock):
    httpx_mock.add_response(**last_request("2"))
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan B"))

    await caller.complete(OPENROUTER, CHAT)
    completion = await caller.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan B"
    assert len(clock.sleeps) == 1
    assert 1.5 < clock.sleeps[0] <= 2


@pytest.mark.django_db(transaction=True)
async def test_it_fails_fast_before_a_long_reset(httpx_mock, caller, clock):
    httpx_mock.add_response(**last_request("60"))

    await caller.complete(OPENROUTER, CHAT)
    with pytest.raises(ProviderExhausted) as raised:
        await caller.complete(OPENROUTER, CHAT)

    assert 55 < raised.value.retry_after_s <= 60
    assert clock.sleeps == []
    assert len(httpx_mock.get_requests()) == 1
    assert await calls_of() == [(1, LLMCall.Status.SUCCEEDED, "")]


# A 429 or 503 whose Retry-After is past LLM_RETRY_AFTER_CAP_S makes the provider unusable for longer than any request
# waits: it is paused for every request (in the cache, shared), capped at LLM_RATE_LIMIT_MAX_PAUSE_S, and they fall
# back without calling it. A shorter one is the retry's own wait: other requests go on calling.
def next_request(clock) -> RecordingCaller:
    return RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [429, 503])
async def test_it_falls_back_without_calling_during_a_long_pause(httpx_mock, caller, clock, settings, status):
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
    assert await sync_to_async(limits.blocked_for)(OPENROUTER, now=clock.time()) == 0


@pytest.mark.django_db(transaction=True)
async def test_it_takes_a_short_retry_after_as_the_retrys_own_wait(httpx_mock, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers={"Retry-After": "3"})
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("OK"))
    one_attempt = RecordingCaller(context="resilience", policy=RetryPolicy(max_attempts=1), sleep=clock.sleep,
                                  clock=clock.monotonic, wall_clock=clock.time)
    with pytest.raises(ProviderHTTPError):
        await one_attempt.complete(OPENROUTER, CHAT)

    completion = await next_request(clock).complete(OPENROUTER, CHAT)

    assert completion.text == "OK"
    assert clock.sleeps == []  # another request is not held up by a wait within the cap
    assert await sync_to_async(limits.blocked_for)(OPENROUTER, now=clock.time()) == 0


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_wait_for_a_pause_capped_short(httpx_mock, caller, clock, settings):
    settings.LLM_RATE_LIMIT_MAX_PAUSE_S = 2  # shorter than LLM_RETRY_AFTER_CAP_S
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers={"Retry-After": "86400"})
    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    with pytest.raises(ProviderExhausted):
        await next_request(clock).complete(OPENROUTER, CHAT)

    assert clock.sleeps == []  # the provider said a day: nobody waits, whatever the pause is capped at
    assert len(httpx_mock.get_requests()) == 1


# A provider that asks for a longer wait than LLM_RETRY_AFTER_CAP_S is not waited for: the call fails at once, so that
# the stage falls back instead of sleeping in a request.
def in_an_hour() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("retry_after", ["11", "86400", "retry-after-ms", "http-date"])
async def test_it_does_not_sleep(httpx_mock, caller, clock, retry_after):
    headers = {
        "retry-after-ms": {"retry-after-ms": "60000"},
        "http-date": {"Retry-After": in_an_hour()},
    }.get(retry_after, {"Retry-After": retry_after})
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers=headers)

    with pytest.raises(ProviderHTTPError) as raised:
        await caller.complete(OPENROUTER, CHAT)

    assert raised.value.status_code == 429
    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]


# Workers AI's 3036 "daily allocation exceeded" is not retried: the provider is marked exhausted until its quota
# resets, and calls to any of its models fail at once until then.
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
    assert await sync_to_async(limits.blocked_for)(OTHER_MODEL, now=datetime.now(UTC).timestamp() + 86_401) == 0


@pytest.mark.django_db(transaction=True)
async def test_it_takes_the_reset_from_retry_after(httpx_mock, caller, clock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, headers={"Retry-After": "3600"},
                            json=DAILY_LIMIT)

    with pytest.raises(ProviderExhausted) as raised:
        await caller.complete(WORKERS_AI, CHAT)

    assert raised.value.retry_after_s == 3600
    assert await sync_to_async(limits.blocked_for)(OTHER_MODEL, now=clock.time()) == 3600


def test_it_resets_at_utc_midnight():
    error = ProviderHTTPError(429, "daily allocation", code=3036)

    assert seconds_until_quota_reset(error, datetime(2025, 3, 9, 23, 59, 30, tzinfo=UTC)) == 30


# A Retry-After beyond LLM_RETRY_AFTER_CAP_S means no sleep at all: the call fails at once so that the stage falls
# back.
CAP_S = 10.0


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(RETRYABLE_STATUSES), asked=st.floats(min_value=CAP_S, max_value=1e9, exclude_min=True),
       rest=scripts)
def test_it_is_never_slept_on(scripted_server, status, asked, rest):
    policy = RetryPolicy(max_attempts=5, retry_after_cap_s=CAP_S)

    result = call_once(scripted_server, [Fault("status", status, asked), *rest], policy)

    assert (result.succeeded, result.requests, result.sleeps) == (False, 1, [])


# A wait before a retry never exceeds its cap: LLM_RETRY_AFTER_CAP_S when the provider asked for it, LLM_BACKOFF_CAP_S
# for backoff.
ATTEMPTS = 4
POLICY = RetryPolicy(max_attempts=ATTEMPTS, backoff_base_s=0.25, backoff_cap_s=1.0, retry_after_cap_s=10.0)


@settings(max_examples=500)
@given(policy=policies, exc=provider_errors, attempt=jitters.map(lambda j: 1 + int(j * 12)), jitter=jitters)
def test_it_caps_every_wait_of_the_rule(policy, exc, attempt, jitter):
    wait_s = policy.wait_before_retry(exc, attempt, jitter)

    if wait_s is not None:
        asked = getattr(exc, "retry_after_s", None)
        assert 0 <= wait_s <= (policy.backoff_cap_s if asked is None else policy.retry_after_cap_s)


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts)
def test_it_never_sleeps_longer_than_the_cap_in_a_call(scripted_server, script):
    result = call_once(scripted_server, script, POLICY)

    for attempt, wait_s in enumerate(result.sleeps, start=1):
        asked = script[attempt - 1].retry_after_s
        assert 0 <= wait_s <= (min(POLICY.backoff_cap_s, 0.25 * 2 ** (attempt - 1)) if asked is None else asked)
        assert wait_s <= POLICY.retry_after_cap_s
