"""A call that the engine, at its measured service time, cannot start and finish within the
request's deadline is never sent: `engine_busy`, at once, with no upstream call recorded."""

import time

import pytest

from energy.calls import RecordingCaller
from energy.engine import admission
from energy.llm.base import EngineBusy
from energy.models import LLMCall
from tests.energy.engine.conftest import short_request

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


def test_the_wait_is_a_round_of_service_per_full_round_of_slots_ahead():
    assert admission.expected_wait_s(busy=3, slots=4, service_s=2.0) == 0.0
    assert admission.expected_wait_s(busy=4, slots=4, service_s=2.0) == 0.5
    assert admission.expected_wait_s(busy=11, slots=4, service_s=2.0) == 4.0


async def test_a_call_that_cannot_finish_in_time_falls_back_at_once(gemma, engine, occupy):
    admission.service_times.seconds[(gemma.key, "narrative")] = 3.0  # as measured under load

    async with occupy(count=6, tokens=4000):  # 4 slots decoding, 2 waiting
        caller = RecordingCaller(context="test", deadline=time.monotonic() + 3.5)
        started = time.monotonic()
        with pytest.raises(EngineBusy, match="requests on 4 slots") as refused:
            await caller.complete(gemma, short_request())

    assert time.monotonic() - started < 1.0
    assert refused.value.error_class == "engine_busy"
    assert not await LLMCall.objects.filter(context="test").aexists()


async def test_a_call_that_can_finish_in_time_is_sent(gemma, engine, occupy):
    await RecordingCaller(context="warm").complete(gemma, short_request())

    async with occupy(count=2, tokens=4000):  # slots to spare
        completion = await RecordingCaller(context="test", deadline=time.monotonic() + 10).complete(gemma, short_request())

    assert completion.text
    assert (await LLMCall.objects.aget(context="test")).status == LLMCall.Status.SUCCEEDED
