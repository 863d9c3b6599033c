"""A request whose answer another process is computing waits for it; when that process ends
without a cacheable answer (it failed, or its answer had errors) its claim is released, and the
waiting request computes the answer itself, claimed."""

import asyncio

from django.core.cache import cache

from energy import response_cache

KEY = "a" * 64


async def test_it_waits_for_the_other_process_and_takes_its_answer():
    assert await response_cache.claim(KEY)  # the other process

    async def other_process_answers() -> None:
        await asyncio.sleep(0.2)
        await response_cache.store(KEY, {"id": "theirs"})
        await response_cache.release(KEY)

    turn, _ = await asyncio.gather(response_cache.follow_other_process(KEY), other_process_answers())

    assert turn.answer is not None
    assert turn.answer.response == {"id": "theirs"}
    assert not turn.claimed


async def test_it_claims_the_key_once_the_other_process_gave_up():
    assert await response_cache.claim(KEY)

    async def other_process_fails() -> None:
        await asyncio.sleep(0.2)
        await response_cache.release(KEY)  # no answer stored

    turn, _ = await asyncio.gather(response_cache.follow_other_process(KEY), other_process_fails())

    assert turn.answer is None
    assert turn.claimed
    assert not await response_cache.claim(KEY)  # this request holds it now


async def test_it_stops_waiting_at_the_request_deadline():
    assert await response_cache.claim(KEY)  # held by a process that died mid-request

    turn = await response_cache.follow_other_process(KEY, deadline_s=0.3)

    assert turn.answer is None
    assert not turn.claimed
    assert cache.get(response_cache.FLIGHT_PREFIX + KEY) is not None
