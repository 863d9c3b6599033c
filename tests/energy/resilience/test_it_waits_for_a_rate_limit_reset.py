"""A provider that says no requests remain gets none until its window resets: a call waits for a
short reset, and fails fast (the stage falls back) when the reset is further off than
LLM_RETRY_AFTER_CAP_S."""

import pytest

from energy.llm.base import ProviderExhausted
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream
from tests.energy.resilience.records import calls_of


def last_request(reset: str):
    return {"url": CHAT_URL, "method": "POST", "content": chat_stream("Plan A"),
            "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}}


@pytest.mark.django_db(transaction=True)
async def test_it_waits_for_a_short_reset(httpx_mock, caller, clock):
    httpx_mock.add_response(**last_request("2"))
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan B"))

    await caller.complete(OPENROUTER, CHAT)
    completion = await caller.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan B"
    assert len(clock.sleeps) == 1
    assert 1.5 < clock.sleeps[0] <= 2


@pytest.mark.django_db(transaction=True)
async def test_it_fails_fast_before_a_long_reset(httpx_mock, caller, clock):
    httpx_mock.add_response(**last_request("60"))

    await caller.complete(OPENROUTER, CHAT)
    with pytest.raises(ProviderExhausted) as raised:
        await caller.complete(OPENROUTER, CHAT)

    assert 55 < raised.value.retry_after_s <= 60
    assert clock.sleeps == []
    assert len(httpx_mock.get_requests()) == 1
    assert await calls_of() == [(1, LLMCall.Status.SUCCEEDED, "")]
