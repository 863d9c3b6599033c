"""A call still generating when its request's deadline comes is cut there: the engine stops
generating, the call is recorded as a timeout, and the stage falls back."""

import asyncio
import time

import pytest

from energy.calls import RecordingCaller
from energy.llm.base import DeadlineExceeded
from energy.models import LLMCall
from tests.energy.engine.conftest import endless_request, processing

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


async def test_the_generation_stops_at_the_deadline_and_is_recorded_as_a_timeout(gemma, engine):
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
