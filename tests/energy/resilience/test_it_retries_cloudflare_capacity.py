"""Workers AI's 3040 "capacity temporarily exceeded" is worth another attempt."""

import pytest

from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, WORKERS_AI, WORKERS_AI_URL, sse
from tests.energy.resilience.records import calls_of

CAPACITY = {"success": False, "errors": [{"code": 3040, "message": "Capacity temporarily exceeded"}]}


@pytest.mark.django_db(transaction=True)
async def test_it_retries_and_succeeds(httpx_mock, caller, clock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, json=CAPACITY)
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "Plan A"}, "[DONE]"))

    completion = await caller.complete(WORKERS_AI, CHAT)

    assert completion.text == "Plan A"
    assert len(clock.sleeps) == 1
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error"), (2, LLMCall.Status.SUCCEEDED, "")]
