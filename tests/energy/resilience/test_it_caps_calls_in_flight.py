"""No more than the provider's max_concurrency calls are in flight at once; the others wait for a
slot, but never past the request's deadline."""

import asyncio
import time
from dataclasses import replace

import httpx
import pytest

from energy.calls import RecordingCaller
from energy.llm.base import DeadlineExceeded
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream

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
