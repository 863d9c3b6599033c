"""Once a model's breaker opens, calls to it fail at once with CircuitOpen (no request, no
LLMCall row: nothing went upstream) until one probe call, a single attempt, closes it again."""

import pytest

from energy.calls import RecordingCaller
from energy.llm.base import CircuitOpen, ProviderHTTPError
from energy.llm.breaker import CircuitBreaker
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, OPENROUTER
from tests.energy.resilience.faults import Fault, ScriptedServer

HOST = "llm.test"
ATTEMPTS = 3  # LLM_MAX_ATTEMPTS
MIN_CALLS = 5  # BREAKER_MIN_CALLS


@pytest.mark.django_db(transaction=True)
async def test_it_opens_then_recovers_through_a_probe(httpx_mock, clock):
    server = ScriptedServer()
    httpx_mock.add_callback(server, is_reusable=True)
    breaker = CircuitBreaker(clock=clock.time)

    async def call():  # as one request does, with a deadline of its own
        caller = RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, breaker=breaker)
        return await caller.complete(OPENROUTER, CHAT)

    server.play(HOST, [Fault("status", 503)] * (MIN_CALLS * ATTEMPTS + 1))

    for _ in range(MIN_CALLS):
        with pytest.raises(ProviderHTTPError):
            await call()
    with pytest.raises(CircuitOpen):
        await call()

    assert len(server.hosts) == await LLMCall.objects.acount() == MIN_CALLS * ATTEMPTS

    clock.advance(30)  # BREAKER_OPEN_S
    with pytest.raises(ProviderHTTPError):
        await call()  # the probe: one attempt, which fails
    with pytest.raises(CircuitOpen):
        await call()
    assert len(server.hosts) == MIN_CALLS * ATTEMPTS + 1

    clock.advance(30)
    assert (await call()).text == "OK"  # the next probe succeeds
    assert (await call()).text == "OK"
    assert len(server.hosts) == MIN_CALLS * ATTEMPTS + 3
