"""A call the request gives up on ends its row, whenever the cancellation arrives: while the
call waits on the provider, and while its failure is being recorded (the request's other branch
failed at the same moment, seen in CI as a row still `started` after the 503)."""

import asyncio
import threading
import time

import pytest

from energy.calls import RecordingCaller
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.resilience.records import calls_of


async def until_no_call_is_started(within_s: float = 10) -> None:
    give_up_at = time.monotonic() + within_s
    while time.monotonic() < give_up_at:
        if not await LLMCall.objects.filter(status=LLMCall.Status.STARTED).aexists():
            return
        await asyncio.sleep(0.05)


@pytest.mark.django_db(transaction=True)
async def test_a_call_cancelled_while_its_failure_is_recorded_still_ends_its_row(httpx_mock, caller, monkeypatch):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=400, json={"error": "bad request"})  # not retried
    recording, may_go_on = threading.Event(), threading.Event()
    provider_failure = RecordingCaller._provider_failure

    def held_provider_failure(self, model, exc):
        # Runs on Django's sync thread: hold the recording there until the request has been cancelled.
        recording.set()
        may_go_on.wait(10)
        return provider_failure(self, model, exc)

    monkeypatch.setattr(RecordingCaller, "_provider_failure", held_provider_failure)
    call = asyncio.create_task(caller.complete(OPENROUTER, CHAT))
    await asyncio.to_thread(recording.wait, 10)

    call.cancel()
    may_go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await call
    await until_no_call_is_started()

    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]


@pytest.mark.django_db(transaction=True)
async def test_a_call_cancelled_while_it_waits_on_the_provider_ends_its_row_as_cancelled(httpx_mock, caller):
    sent = asyncio.Event()

    async def never_answers(request):
        sent.set()
        await asyncio.Event().wait()

    httpx_mock.add_callback(never_answers, url=CHAT_URL, method="POST")
    call = asyncio.create_task(caller.complete(OPENROUTER, CHAT))
    await sent.wait()

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call

    assert await calls_of() == [(1, LLMCall.Status.FAILED, "cancelled")]
