"""How calls get the inference engine's slots: live requests before background work, admission refused to a
call that cannot finish in time, and generation cut at the request's deadline."""

import asyncio
import time

import pytest

from energy.calls import RecordingCaller
from energy.engine import admission
from energy.llm.base import DeadlineExceeded, EngineBusy
from energy.llm.deadline import Deadline
from energy.models import LLMCall
from tests.energy.engine.conftest import endless_request, processing, short_request

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


# Benchmark units and probes wait while live requests keep the engine's slots busy; their wait is recorded as queue
# time, apart from the inference time.
async def test_it_holds_a_background_call_until_the_live_ones_finish(gemma, engine, occupy):
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


async def test_it_does_not_hold_a_live_call(gemma, engine, occupy):
    async with occupy(count=3, tokens=4000):
        waited_s = await admission.admit(gemma, "narrative", Deadline(time.monotonic() + 20), background=False)

    assert waited_s < 0.5  # one reading of the engine's state


async def test_it_gives_up_on_a_background_call_at_its_deadline(gemma, engine, occupy):
    async with occupy(count=1, tokens=4000):
        caller = RecordingCaller(context="probe:test", background=True, deadline=time.monotonic() + 1.0)
        with pytest.raises(EngineBusy, match="live requests kept the engine busy"):
            await caller.complete(gemma, short_request())


async def test_it_does_not_hold_a_benchmarks_calls_up_for_each_other(gemma, engine):
    caller = RecordingCaller(context="benchmark:test", background=True, deadline=time.monotonic() + 20)

    completions = await asyncio.gather(*(caller.complete(gemma, short_request()) for _ in range(3)))

    assert all(c.text for c in completions)
    assert max(c.queue_ms for c in completions) < 1000  # sent together, not one after another


# A call that the engine, at its measured service time, cannot start and finish within the request's deadline is never
# sent: `engine_busy`, at once, with no upstream call recorded.
def test_it_estimates_a_round_of_service_per_full_round_of_slots_ahead():
    assert admission.expected_wait_s(busy=3, slots=4, service_s=2.0) == 0.0
    assert admission.expected_wait_s(busy=4, slots=4, service_s=2.0) == 0.5
    assert admission.expected_wait_s(busy=11, slots=4, service_s=2.0) == 4.0


async def test_it_falls_back_at_once_when_a_call_cannot_finish_in_time(gemma, engine, occupy):
    admission.service_times.seconds[(gemma.key, "narrative")] = 3.0  # as measured under load

    async with occupy(count=6, tokens=4000):  # 4 slots decoding, 2 waiting
        caller = RecordingCaller(context="test", deadline=time.monotonic() + 3.5)
        started = time.monotonic()
        with pytest.raises(EngineBusy, match="requests on 4 slots") as refused:
            await caller.complete(gemma, short_request())

    assert time.monotonic() - started < 1.0
    assert refused.value.error_class == "engine_busy"
    assert not await LLMCall.objects.filter(context="test").aexists()


async def test_it_sends_a_call_that_can_finish_in_time(gemma, engine, occupy):
    await RecordingCaller(context="warm").complete(gemma, short_request())

    async with occupy(count=2, tokens=4000):  # slots to spare
        completion = await RecordingCaller(context="test", deadline=time.monotonic() + 10).complete(gemma, short_request())

    assert completion.text
    assert (await LLMCall.objects.aget(context="test")).status == LLMCall.Status.SUCCEEDED


# A call still generating when its request's deadline comes is cut there: the engine stops generating, the call is
# recorded as a timeout, and the stage falls back.
async def test_it_stops_generating_at_the_deadline_and_records_a_timeout(gemma, engine):
    caller = RecordingCaller(context="test", deadline=time.monotonic() + 1.5)

    with pytest.raises(DeadlineExceeded):
        await caller.complete(gemma, endless_request())

    call = await LLMCall.objects.aget(context="test")
    assert call.status == LLMCall.Status.TIMEOUT
    assert call.error_class == "deadline_exceeded"
    assert 1000 <= call.duration_ms < 3000
    # The engine noticed the closed stream and freed the slot, rather than finish 4,000 tokens.
    async with asyncio.timeout(5):
        while await processing(engine):
            await asyncio.sleep(0.05)
