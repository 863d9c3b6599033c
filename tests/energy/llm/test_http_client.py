import asyncio
import gc
import weakref

from energy.llm.http import get_client


async def client():
    return get_client()[0]


async def client_twice():
    return get_client(), get_client()


def test_it_shares_one_client_within_a_loop():
    (first, first_init_ms), (second, second_init_ms) = asyncio.run(client_twice())

    assert first is second
    assert first_init_ms > 0
    assert second_init_ms == 0.0


def test_it_gives_each_loop_its_own_client():
    assert asyncio.run(client()) is not asyncio.run(client())


def test_it_forgets_dead_loops():
    loop = asyncio.new_event_loop()
    first = loop.run_until_complete(client())
    loop.close()
    # As its open connections would, the client keeps its loop alive.
    first.held_loop = loop
    dead_loop = weakref.ref(loop)
    del first, loop

    asyncio.run(client())
    gc.collect()

    assert dead_loop() is None
