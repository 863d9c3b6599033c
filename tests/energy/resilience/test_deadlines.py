"""Time limits: the request deadline, the call timeout for a slow stream, and the cap on calls in flight."""

import asyncio
import time
from dataclasses import replace

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, DeadlineExceeded, ModelRef, ProviderHTTPError, ProviderTimeout, Route
from energy.llm.retry import RetryPolicy
from energy.models import LLMCall
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream, delta, sse
from tests.energy.pipeline.conftest import make_inputs
from tests.energy.resilience.records import calls_of
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import scripts

# No attempt starts, and no backoff begins, that would end after the request's deadline; an attempt still running at
# the deadline is cut off. The stage then falls back to the rules engine, which needs no time.
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


@pytest.mark.django_db(transaction=True)
async def test_it_starts_nothing_after_the_deadline(httpx_mock, clock):
    caller = RecordingCaller(context="resilience", deadline=clock.monotonic() - 0.001, clock=clock.monotonic)

    with pytest.raises(DeadlineExceeded):
        await caller.complete(OPENROUTER, CHAT)

    assert httpx_mock.get_requests() == []
    assert await calls_of() == []


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_sleep_past_the_deadline(httpx_mock, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=503, headers={"Retry-After": "2"})
    caller = RecordingCaller(context="resilience", deadline=clock.monotonic() + 1.5, sleep=clock.sleep,
                             clock=clock.monotonic)

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]


@pytest.mark.django_db(transaction=True)
async def test_it_cuts_off_an_attempt_at_the_deadline(httpx_mock):
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(500)

    httpx_mock.add_callback(hang, url=CHAT_URL, method="POST")
    caller = RecordingCaller(context="resilience", deadline=time.monotonic() + 0.2)

    with pytest.raises(DeadlineExceeded):
        await caller.complete(OPENROUTER, CHAT)

    assert await calls_of() == [(1, LLMCall.Status.TIMEOUT, "deadline_exceeded")]


@pytest.mark.django_db(transaction=True)
async def test_it_falls_back_to_the_rules_engine_at_the_deadline(httpx_mock):
    route = Route(chains=dict.fromkeys(STAGES, (OPENROUTER, RULES)), version="test")
    caller = RecordingCaller(context="resilience", deadline=time.monotonic())

    result = await run_pipeline(make_inputs(), route=route, caller=caller)

    assert result.models == dict.fromkeys(STAGES, "builtin/rules")
    assert {error["kind"] for error in result.errors} == {"deadline_exceeded"}
    assert httpx_mock.get_requests() == []
    assert not await LLMCall.objects.aexists()


# Retries never sleep past the request's deadline, and no attempt starts after it.
@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts, deadline_s=st.floats(min_value=0.001, max_value=30))
def test_it_ends_every_sleep_before_the_deadline(scripted_server, script, deadline_s):
    result = call_once(scripted_server, script, RetryPolicy(max_attempts=5), deadline_s=deadline_s)

    assert sum(result.sleeps) < deadline_s
    assert result.requests == len(result.sleeps) + 1


# A stream that keeps sending never trips httpx's read timeout, yet the call stops at its provider's read timeout,
# counted over the whole call.
CALL_TIMEOUT_S = 0.3


class Trickle(httpx.AsyncByteStream):
    """A token every 20 ms, forever."""

    async def __aiter__(self):
        while True:
            yield sse(delta("more "))
            await asyncio.sleep(0.02)


@pytest.mark.django_db(transaction=True)
async def test_it_times_out_the_whole_call(httpx_mock):
    httpx_mock.add_callback(lambda request: httpx.Response(200, stream=Trickle()), url=CHAT_URL, method="POST")
    caller = RecordingCaller(context="resilience", policy=RetryPolicy(max_attempts=1))
    started = time.monotonic()

    with pytest.raises(ProviderTimeout) as raised:
        await caller.complete(replace(OPENROUTER, read_timeout_s=CALL_TIMEOUT_S), CHAT)

    assert CALL_TIMEOUT_S <= time.monotonic() - started < CALL_TIMEOUT_S + 0.5
    assert not isinstance(raised.value, DeadlineExceeded)
    assert await calls_of() == [(1, LLMCall.Status.TIMEOUT, "timeout")]


# No more than the provider's max_concurrency calls are in flight at once; the others wait for a slot, but never past
# the request's deadline.
LIMITED = replace(OPENROUTER, max_concurrency=2)


class SlowProvider:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.in_flight = self.most_in_flight = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.seconds)
        self.in_flight -= 1
        return httpx.Response(200, content=chat_stream("Plan A"))


@pytest.mark.django_db(transaction=True)
async def test_it_queues_beyond_the_limit(httpx_mock):
    provider = SlowProvider(0.05)
    httpx_mock.add_callback(provider, url=CHAT_URL, method="POST", is_reusable=True)

    results = await asyncio.gather(*(RecordingCaller(context="resilience").complete(LIMITED, CHAT) for _ in range(6)))

    assert [r.text for r in results] == ["Plan A"] * 6
    assert provider.most_in_flight == 2


@pytest.mark.django_db(transaction=True)
async def test_it_waits_no_longer_than_the_deadline(httpx_mock):
    httpx_mock.add_callback(SlowProvider(0.5), url=CHAT_URL, method="POST", is_reusable=True)
    busy = [asyncio.create_task(RecordingCaller(context="resilience").complete(LIMITED, CHAT)) for _ in range(2)]
    await asyncio.sleep(0.01)
    hurried = RecordingCaller(context="resilience", deadline=time.monotonic() + 0.1)

    with pytest.raises(DeadlineExceeded, match="slots"):
        await hurried.complete(LIMITED, CHAT)

    await asyncio.gather(*busy)
    assert len(httpx_mock.get_requests()) == 2
