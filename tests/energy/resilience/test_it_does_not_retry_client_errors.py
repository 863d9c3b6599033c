"""A 4xx other than 408, 409 and 429 would fail the same way again: one attempt, no wait."""

import pytest

from energy.llm.base import ProviderHTTPError
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.resilience.faults import CLIENT_ERRORS
from tests.energy.resilience.records import calls_of


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", CLIENT_ERRORS)
async def test_it_makes_one_attempt(httpx_mock, caller, clock, status):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=status, json={"error": "no"})

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]
