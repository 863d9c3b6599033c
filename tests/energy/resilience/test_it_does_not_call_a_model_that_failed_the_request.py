"""A caller serves one request: once a model failed one of its calls (after the retries), the
request does not call it again, for another stage or another prompt. The next request does."""

from dataclasses import replace

import pytest

from energy.calls import RecordingCaller
from energy.llm.base import FailedEarlier, ProviderHTTPError
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.resilience.records import calls_of

OTHER_STAGE = replace(CHAT, stage="usage_summary" if CHAT.stage != "usage_summary" else "narrative")


@pytest.mark.django_db(transaction=True)
async def test_it_skips_the_model_for_the_rest_of_the_request(httpx_mock, caller, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=503, json={"error": "overloaded"}, is_reusable=True)

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)
    with pytest.raises(FailedEarlier) as skipped:
        await caller.complete(OPENROUTER, OTHER_STAGE)

    assert len(httpx_mock.get_requests()) == 3  # the first stage's attempts; none for the second
    assert f"http_error in {CHAT.stage}" in str(skipped.value)
    assert await calls_of() == [(n, LLMCall.Status.FAILED, "http_error") for n in (1, 2, 3)]


@pytest.mark.django_db(transaction=True)
async def test_the_next_request_calls_it_again(httpx_mock, caller, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=400, json={"error": "bad"})
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=400, json={"error": "bad"})
    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    next_request = RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time)
    with pytest.raises(ProviderHTTPError):
        await next_request.complete(OPENROUTER, OTHER_STAGE)

    assert len(httpx_mock.get_requests()) == 2
