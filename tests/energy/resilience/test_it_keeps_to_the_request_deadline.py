"""No attempt starts, and no backoff begins, that would end after the request's deadline; an
attempt still running at the deadline is cut off. The stage then falls back to the rules engine,
which needs no time."""

import asyncio
import time

import httpx
import pytest

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, DeadlineExceeded, ModelRef, ProviderHTTPError, Route
from energy.models import LLMCall
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.pipeline.conftest import make_inputs
from tests.energy.resilience.records import calls_of

RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


@pytest.mark.django_db(transaction=True)
async def test_it_starts_nothing_after_the_deadline(httpx_mock, clock):
    caller = RecordingCaller(context="resilience", deadline=clock.monotonic() - 0.001, clock=clock.monotonic)

    with pytest.raises(DeadlineExceeded):
        await caller.complete(OPENROUTER, CHAT)

    assert httpx_mock.get_requests() == []
    assert await calls_of() == []


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_sleep_past_the_deadline(httpx_mock, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=503, headers={"Retry-After": "2"})
    caller = RecordingCaller(context="resilience", deadline=clock.monotonic() + 1.5, sleep=clock.sleep,
                             clock=clock.monotonic)

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]


@pytest.mark.django_db(transaction=True)
async def test_it_cuts_off_an_attempt_at_the_deadline(httpx_mock):
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(500)

    httpx_mock.add_callback(hang, url=CHAT_URL, method="POST")
    caller = RecordingCaller(context="resilience", deadline=time.monotonic() + 0.2)

    with pytest.raises(DeadlineExceeded):
        await caller.complete(OPENROUTER, CHAT)

    assert await calls_of() == [(1, LLMCall.Status.TIMEOUT, "deadline_exceeded")]


@pytest.mark.django_db(transaction=True)
async def test_the_stage_falls_back_to_the_rules_engine(httpx_mock):
    route = Route(chains=dict.fromkeys(STAGES, (OPENROUTER, RULES)), version="test")
    caller = RecordingCaller(context="resilience", deadline=time.monotonic())

    result = await run_pipeline(make_inputs(), route=route, caller=caller)

    assert result.models == dict.fromkeys(STAGES, "builtin/rules")
    assert {error["kind"] for error in result.errors} == {"deadline_exceeded"}
    assert httpx_mock.get_requests() == []
    assert not await LLMCall.objects.aexists()
