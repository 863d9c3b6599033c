"""With Redis, a provider's cap on calls in flight holds across processes: two event loops in two
threads (each with its own Redis client, as two processes have) never have more than
`max_concurrency` calls open between them; a slot whose holder died frees itself when its lease
ends."""

import asyncio
import threading
import time
from dataclasses import replace

import httpx
import pytest
import redis

from energy.calls import RecordingCaller
from energy.llm import concurrency
from energy.llm.deadline import Deadline
from energy.llm.limits import provider_key
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream

LIMITED = replace(OPENROUTER, max_concurrency=2)
PER_PROCESS = 4


@pytest.fixture
def shared_slots(redis_server, settings) -> str:
    settings.REDIS_URL = redis_server
    redis.Redis.from_url(redis_server).delete(concurrency.KEY_PREFIX + provider_key(LIMITED))
    return redis_server


class SlowProvider:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(self.seconds)
        with self.lock:
            self.in_flight -= 1
        return httpx.Response(200, content=chat_stream("Plan A"))


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_providers_cap(httpx_mock, shared_slots):
    provider = SlowProvider(0.1)
    httpx_mock.add_callback(provider, url=CHAT_URL, method="POST", is_reusable=True)

    def process() -> list[str]:
        async def calls():
            results = await asyncio.gather(*(RecordingCaller(context="resilience").complete(LIMITED, CHAT)
                                             for _ in range(PER_PROCESS)))
            return [result.text for result in results]
        return asyncio.run(calls())

    outcomes: list[list[str]] = []
    threads = [threading.Thread(target=lambda: outcomes.append(process())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == [["Plan A"] * PER_PROCESS] * 2
    assert provider.most_in_flight == LIMITED.max_concurrency


def test_a_dead_holders_slot_frees_itself_when_its_lease_ends(shared_slots, monkeypatch):
    monkeypatch.setattr(concurrency, "LEASE_MARGIN_S", 0.0)

    async def scenario() -> float:
        held = [concurrency.slot(LIMITED, Deadline(time.monotonic() + 0.3)) for _ in range(LIMITED.max_concurrency)]
        for holder in held:  # held by a process that dies: never released
            await holder.__aenter__()
        started = time.monotonic()
        async with concurrency.slot(LIMITED, Deadline(time.monotonic() + 5)):
            return time.monotonic() - started

    waited_s = asyncio.run(scenario())

    assert 0.1 < waited_s < 2
