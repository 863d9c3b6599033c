"""A stream that keeps sending never trips httpx's read timeout, yet the call stops at its
provider's read timeout, counted over the whole call."""

import asyncio
import time
from dataclasses import replace

import httpx
import pytest

from energy.calls import RecordingCaller
from energy.llm.base import DeadlineExceeded, ProviderTimeout
from energy.llm.retry import RetryPolicy
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, delta, sse
from tests.energy.resilience.records import calls_of

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
