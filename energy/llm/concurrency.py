"""A provider's cap on calls in flight (`max_concurrency`, per account: limits.provider_key).

With Redis (REDIS_URL) the cap holds across every process of the deployment: a slot is a member
of a sorted set in Redis, scored by when its lease runs out, taken and counted in one Lua script
(atomic), so that 4 uvicorn workers and 2 clusters together keep at most `max_concurrency` calls
open. A lease outlives its call's deadline by a margin only, so the slot of a process that died
mid-call frees itself. Without Redis each process (each event loop) keeps its own cap: it still
protects the provider from one process, and correctness never depends on it.
"""

import asyncio
import math
import random
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as redis
from django.conf import settings

from energy.llm.base import DeadlineExceeded, ModelRef
from energy.llm.deadline import Deadline
from energy.llm.limits import provider_key

KEY_PREFIX = "llm:slots:"
# A lease lasts the call's remaining deadline plus this, at most LEASE_CAP_S.
LEASE_MARGIN_S = 5.0
LEASE_CAP_S = 900.0
# How often a caller waiting for a slot asks again (jittered, so waiters do not ask in step).
POLL_S = 0.02

# Drop expired leases, then take a slot if fewer than the cap are held. Redis's own clock, so
# processes on machines whose clocks differ agree on when a lease ends.
TAKE_SLOT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""

# Per event loop (django-q2 workers and async_to_sync run fresh loops): a semaphore, and a Redis
# client, belong to the loop they were first used in.
_semaphores: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, int], asyncio.Semaphore]]" = (
    weakref.WeakKeyDictionary()
)
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.Redis]" = weakref.WeakKeyDictionary()


@asynccontextmanager
async def slot(model: ModelRef, deadline: Deadline) -> AsyncIterator[None]:
    """Hold one of the provider's `max_concurrency` slots for the call; wait for one no longer
    than the request's deadline (DeadlineExceeded)."""
    held = _shared_slot(model, deadline) if settings.REDIS_URL else _local_slot(model, deadline)
    async with held:
        yield


def _waited_too_long(model: ModelRef) -> DeadlineExceeded:
    return DeadlineExceeded(
        f"{model.key}: the request deadline passed waiting for one of the provider's {model.max_concurrency} slots"
    )


@asynccontextmanager
async def _shared_slot(model: ModelRef, deadline: Deadline) -> AsyncIterator[None]:
    client = _client()
    key = KEY_PREFIX + provider_key(model)
    token = uuid.uuid4().hex
    while True:
        remaining_s = deadline.remaining()
        if remaining_s <= 0:
            raise _waited_too_long(model)
        lease_ms = math.ceil(min(remaining_s + LEASE_MARGIN_S, LEASE_CAP_S) * 1000)
        if await client.eval(TAKE_SLOT, 1, key, model.max_concurrency, lease_ms, token):
            break
        await asyncio.sleep(min(POLL_S * (0.5 + random.random()), remaining_s))
    try:
        yield
    finally:
        await client.zrem(key, token)


@asynccontextmanager
async def _local_slot(model: ModelRef, deadline: Deadline) -> AsyncIterator[None]:
    semaphore = _semaphore(model)
    try:
        async with asyncio.timeout(max(deadline.remaining(), 0.0)):
            await semaphore.acquire()
    except TimeoutError:
        raise _waited_too_long(model) from None
    try:
        yield
    finally:
        semaphore.release()


def _semaphore(model: ModelRef) -> asyncio.Semaphore:
    per_loop = _for_this_loop(_semaphores, dict)
    key = (provider_key(model), model.max_concurrency)
    semaphore = per_loop.get(key)
    if semaphore is None:
        semaphore = per_loop[key] = asyncio.Semaphore(model.max_concurrency)
    return semaphore


def _client() -> redis.Redis:
    return _for_this_loop(_clients, lambda: redis.Redis.from_url(settings.REDIS_URL))


def _for_this_loop(registry: weakref.WeakKeyDictionary, create):
    loop = asyncio.get_running_loop()
    found = registry.get(loop)
    if found is None:
        # What was used in a loop references it, so the weak key alone would never die.
        for closed in [other for other in registry if other.is_closed()]:
            del registry[closed]
        found = registry[loop] = create()
    return found
