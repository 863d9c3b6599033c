"""A 429 that says when to come back is retried after exactly that long, and both attempts are recorded."""

import pytest

from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream
from tests.energy.resilience.records import calls_of

RATE_LIMITED = {"error": {"message": "Rate limit reached"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("headers", "expected_wait_s"), [({"Retry-After": "2"}, 2.0), ({"retry-after-ms": "1500"}, 1.5)])
async def test_it_waits_as_asked_then_succeeds(httpx_mock, caller, clock, headers, expected_wait_s):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers=headers, json=RATE_LIMITED)
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan ", "A"))

    completion = await caller.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan A"
    assert clock.sleeps == [expected_wait_s]
    assert await calls_of() == [
        (1, LLMCall.Status.FAILED, "http_error"),
        (2, LLMCall.Status.SUCCEEDED, ""),
    ]
