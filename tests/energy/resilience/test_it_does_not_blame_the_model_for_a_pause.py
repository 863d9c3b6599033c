"""A call whose retry is stopped because its provider was paused meanwhile (another request got
a 429 asking for a day) is no news for the model's breaker: otherwise one pause would count
against the model once for every call in flight, and open its breaker for far longer."""

import pytest

from energy.calls import RecordingCaller
from energy.llm import limits
from energy.llm.base import ProviderHTTPError
from energy.llm.breaker import CircuitBreaker
from tests.energy.llm.streams import CHAT, OPENROUTER
from tests.energy.resilience.faults import Fault, ScriptedServer

HOST = "llm.test"
CALLS = 8  # over BREAKER_MIN_CALLS


@pytest.mark.django_db(transaction=True)
async def test_calls_cut_short_by_a_pause_do_not_open_the_breaker(httpx_mock, clock):
    server = ScriptedServer()
    httpx_mock.add_callback(server, is_reusable=True)
    server.play(HOST, [Fault("status", 503)] * CALLS)
    breaker = CircuitBreaker(clock=clock.time)

    async def backoff_while_another_request_is_told_to_wait(seconds: float) -> None:
        await clock.sleep(seconds)
        limits.block(OPENROUTER, 60, now=clock.time(), waitable=False)

    for _ in range(CALLS):
        caller = RecordingCaller(context="resilience", sleep=backoff_while_another_request_is_told_to_wait,
                                 clock=clock.monotonic, wall_clock=clock.time, breaker=breaker)
        with pytest.raises(ProviderHTTPError):  # what the model answered; the pause only withheld the retry
            await caller.complete(OPENROUTER, CHAT)
        clock.advance(61)  # the pause is over for the next call

    assert len(server.hosts) == CALLS  # one attempt each: the retry was withheld
    assert breaker.is_closed(OPENROUTER.key)
