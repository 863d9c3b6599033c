"""Benchmark units and probes wait while live requests keep the engine's slots busy; their wait
is recorded as queue time, apart from the inference time."""

import asyncio
import time

import pytest

from energy.calls import RecordingCaller
from energy.engine import admission
from energy.llm.base import EngineBusy
from energy.llm.deadline import Deadline
from energy.models import LLMCall
from tests.energy.engine.conftest import short_request

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


async def test_a_background_call_waits_for_the_live_ones_to_finish(gemma, engine, occupy):
    caller = RecordingCaller(context="benchmark:test", background=True, deadline=time.monotonic() + 20)
    async with occupy(count=1, tokens=4000):  # slots are free, but the cores are busy with a live request
        waiting = asyncio.create_task(caller.complete(gemma, short_request()))
        await asyncio.sleep(1.0)
        assert not waiting.done()
    completion = await waiting

    assert completion.text
    assert completion.queue_ms >= 1000
    call = await LLMCall.objects.aget(context="benchmark:test")
    assert call.queue_ms == pytest.approx(completion.queue_ms)


async def test_a_live_call_does_not_wait(gemma, engine, occupy):
    async with occupy(count=3, tokens=4000):
        waited_s = await admission.admit(gemma, "narrative", Deadline(time.monotonic() + 20), background=False)

    assert waited_s < 0.5  # one reading of the engine's state


async def test_a_background_call_gives_up_at_its_deadline(gemma, engine, occupy):
    async with occupy(count=1, tokens=4000):
        caller = RecordingCaller(context="probe:test", background=True, deadline=time.monotonic() + 1.0)
        with pytest.raises(EngineBusy, match="live requests kept the engine busy"):
            await caller.complete(gemma, short_request())


async def test_a_benchmarks_own_calls_do_not_hold_each_other_up(gemma, engine):
    caller = RecordingCaller(context="benchmark:test", background=True, deadline=time.monotonic() + 20)

    completions = await asyncio.gather(*(caller.complete(gemma, short_request()) for _ in range(3)))

    assert all(c.text for c in completions)
    assert max(c.queue_ms for c in completions) < 1000  # sent together, not one after another
