"""The engine's state as health, the switchboard and the catalog show it: models loaded, slots,
queue depth, tokens/s."""

import asyncio

import pytest

from energy.engine import state as engine_state
from energy.llm import dispatch
from tests.energy.engine.conftest import short_request

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


async def test_it_counts_the_requests_decoding_and_waiting(engine, occupy):
    async with occupy(count=6, tokens=4000):
        # The engine has all six once the last two reach its queue (4 were seen decoding).
        async with asyncio.timeout(10):
            while (state := await engine_state.current(max_age_s=0)).busy < 6:
                await asyncio.sleep(0.05)

    assert state.status == "ok"
    assert state.models == ["gemma-3-270m-q4_k_m.gguf"]
    assert (state.slots, state.processing) == (4, 4)
    assert state.deferred == 2
    assert state.busy == 6


async def test_it_reports_generation_speed(engine, gemma):
    await dispatch.complete(gemma, short_request())

    state = await engine_state.current(max_age_s=0)

    assert state.tokens_predicted > 0
    assert state.tokens_per_s > 1


def test_a_down_engine_is_reported_with_its_error(settings):
    settings.ENGINE_URL = "http://127.0.0.1:9"

    state = engine_state.current_sync(max_age_s=0)

    assert state.status == "down"
    assert "ConnectError" in state.error
    assert not state.up
